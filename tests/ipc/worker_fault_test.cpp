// The crash matrix: workers that die, hang or throw at each stage of their loop never cost a
// result, a hang or a leak. Every case runs under a watchdog (ctest's timeout; waits in the
// helpers fail instead of hanging).
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/backends/filter_backend.h"
#include "core/backends/sequential_backend.h"
#include "core/backends/thread_backend.h"
#include "core/base/errors.h"
#include "core/ipc/process_pool.h"
#include "process_helpers.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;

// The fault plan of every pool made in one scope (the backends make their own pools).
class ScopedFaultPlan {
 public:
  explicit ScopedFaultPlan(const std::string& plan) {
    const auto parsed = parse_fault_plan(plan);
    EXPECT_TRUE(parsed.has_value()) << plan;
    set_default_fault_plan(parsed);
  }
  ~ScopedFaultPlan() { set_default_fault_plan(std::nullopt); }
};

// What must be the same before and after a case: processes, descriptors, /dev/shm, shared memory.
struct ResourceCount {
  int workers = testing::count_children_of(testing::runtime().server.server_pid());
  int descriptors = testing::count_open_descriptors();
  int dev_shm = testing::count_dev_shm_entries();
  std::size_t shared_bytes = testing::runtime().arena.bytes_in_use();
};

void expect_nothing_leaked(const ResourceCount& before) {
  const ResourceCount after;
  EXPECT_EQ(after.workers, before.workers) << "worker processes left behind";
  EXPECT_EQ(after.descriptors, before.descriptors) << "descriptors leaked";
  EXPECT_EQ(after.dev_shm, before.dev_shm) << "/dev/shm entries left";
  EXPECT_EQ(after.shared_bytes, before.shared_bytes) << "shared memory not released";
}

BackendChoice three_workers(Transport transport,
                            std::optional<std::chrono::milliseconds> timeout = {}) {
  BackendChoice choice;
  choice.kind = BackendKind::processes;
  choice.workers = 3;
  choice.strips = 8;
  choice.transport = transport;
  choice.strip_timeout = timeout;
  return choice;
}

struct FaultCase {
  std::string name;
  std::string plan;
  Transport transport;
  bool holds_task;  // the worker dies holding a strip, so the run cannot end without seeing it
};

std::vector<FaultCase> crash_matrix() {
  std::vector<FaultCase> cases;
  for (const char* stage : {"waiting_for_task", "took_task", "running_task", "sending_result"}) {
    for (const char* action : {"kill", "segv", "abort", "exit"}) {
      for (Transport transport : {Transport::shared, Transport::copy}) {
        cases.push_back(
            {std::string(stage) + "_" + action + "_" + std::string(transport_name(transport)),
             std::string("stage=") + stage + ",action=" + action + ",times=2", transport,
             std::string_view(stage) != "waiting_for_task"});
      }
    }
  }
  for (const char* action : {"kill", "segv"}) {
    cases.push_back({std::string("holding_queue_lock_") + action,
                     std::string("stage=holding_queue_lock,action=") + action, Transport::shared,
                     false});
  }
  cases.push_back({"took_task_throw", "stage=took_task,action=throw", Transport::shared, true});
  cases.push_back({"one_strip_kills_two_workers", "stage=took_task,action=kill,task=3,times=2",
                   Transport::copy, true});
  return cases;
}

class CrashMatrix : public ::testing::TestWithParam<FaultCase> {};

TEST_P(CrashMatrix, OutputMatchesSequentialAndNothingLeaks) {
  const ResourceCount before;
  const cv::Mat image = testing::random_image(150, 200, CV_8UC3, 11);
  FilterSpec spec;
  spec.sigma = 2;
  const cv::Mat expected = filter_sequential(image, spec).image;
  {
    const ScopedFaultPlan fault(GetParam().plan);
    FilterBackend backend(three_workers(GetParam().transport), &testing::runtime());
    const FilterResult result = backend.filter(image, spec);
    EXPECT_TRUE(testing::identical(result.image, expected));
    if (GetParam().holds_task) {
      EXPECT_GE(result.workers_replaced, 1);
    }
    // The pool goes on working after the fault.
    EXPECT_TRUE(testing::identical(backend.filter(image, spec).image, expected));
  }
  expect_nothing_leaked(before);
}

INSTANTIATE_TEST_SUITE_P(Stages, CrashMatrix, ::testing::ValuesIn(crash_matrix()),
                         [](const ::testing::TestParamInfo<FaultCase>& param) {
                           return param.param.name;
                         });

TEST(WorkerFaults, AHungWorkerIsKilledAfterTheStripTimeout) {
  const ResourceCount before;
  const cv::Mat image = testing::random_image(120, 90, CV_8UC1, 12);
  FilterSpec spec;
  spec.kind = FilterKind::median;
  const cv::Mat expected = filter_sequential(image, spec).image;
  {
    const ScopedFaultPlan fault("stage=running_task,action=hang,task=3");
    FilterBackend backend(three_workers(Transport::shared, std::chrono::milliseconds(300)),
                          &testing::runtime());
    const FilterResult result = backend.filter(image, spec);
    EXPECT_TRUE(testing::identical(result.image, expected));
    EXPECT_EQ(result.workers_replaced, 1);
  }
  expect_nothing_leaked(before);
}

TEST(WorkerFaults, AStripThatKeepsKillingWorkersFailsNamingStripAndSignal) {
  const ResourceCount before;
  const cv::Mat image = testing::random_image(80, 60, CV_8UC3, 13);
  {
    const ScopedFaultPlan fault("stage=running_task,action=segv,task=5,times=1000");
    FilterBackend backend(three_workers(Transport::copy), &testing::runtime());
    try {
      backend.filter(image, FilterSpec{});
      ADD_FAILURE() << "the run should have failed";
    } catch (const ProcessingError& error) {
      EXPECT_THAT(error.what(), HasSubstr("strip 6 of 8"));
      EXPECT_THAT(error.what(), HasSubstr("SIGSEGV"));
      EXPECT_THAT(error.what(), HasSubstr("3 workers lost"));
    }
  }
  expect_nothing_leaked(before);
}

TEST(WorkerFaults, AThrowingFilterFailsTheRunWithItsMessage) {
  const ResourceCount before;
  {
    const ScopedFaultPlan fault("stage=running_task,action=throw,task=0");
    FilterBackend backend(three_workers(Transport::shared), &testing::runtime());
    EXPECT_THROW(
        {
          try {
            backend.filter(testing::random_image(40, 40, CV_8UC1), FilterSpec{});
          } catch (const ProcessingError& error) {
            EXPECT_THAT(error.what(), HasSubstr("injected worker fault"));
            throw;
          }
        },
        ProcessingError);
  }
  expect_nothing_leaked(before);
}

void square(std::span<const std::byte> task, const ResultSender& send) {
  send(task, {});
}

TEST(WorkerFaults, IdleWorkersKilledFromOutsideAreReplaced) {
  const ResourceCount before;
  {
    PoolOptions options;
    options.workers = 3;
    ProcessPool pool(testing::runtime().arena, testing::runtime().server, square, options);
    for (const pid_t pid : pool.worker_pids()) testing::runtime().server.signal(pid, SIGKILL);
    const std::uint64_t value = 7;
    int done = 0;
    const auto stats = pool.run(
        20,
        [&](std::size_t) {
          return TaskBytes{std::as_bytes(std::span(&value, 1)), {}};
        },
        [&](const TaskOutcome& outcome) { done += outcome.ok; });
    EXPECT_EQ(done, 20);
    EXPECT_EQ(stats.workers_replaced, 3);
  }
  expect_nothing_leaked(before);
}

TEST(WorkerFaults, ReplacingAWorkerAfterThreadsExistDoesNotHang) {
  // oneTBB has threads in this process after this call; a worker forked from here could
  // inherit a held lock. Replacements come from the fork server, which has no threads.
  const cv::Mat image = testing::random_image(100, 100, CV_8UC3, 14);
  const cv::Mat expected = filter_with_threads(image, FilterSpec{}, 2).image;
  const ScopedFaultPlan fault("stage=running_task,action=kill,times=3");
  FilterBackend backend(three_workers(Transport::shared), &testing::runtime());
  const FilterResult result = backend.filter(image, FilterSpec{});
  EXPECT_TRUE(testing::identical(result.image, expected));
  EXPECT_EQ(result.workers_replaced, 3);
}

}  // namespace
}  // namespace pblur
