#include "core/ipc/process_pool.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include "core/base/errors.h"
#include "test_support.h"

namespace pblur {
namespace {

// Squares a number: the smallest task with a checkable answer.
void square(std::span<const std::byte> task, const ResultSender& send) {
  std::uint64_t value;
  std::memcpy(&value, task.data(), sizeof value);
  const std::uint64_t result = value * value;
  send(std::as_bytes(std::span(&result, 1)), {});
}

void always_throws(std::span<const std::byte>, const ResultSender&) {
  throw std::runtime_error("no such luck");
}

PoolOptions with_workers(int workers) {
  PoolOptions options;
  options.workers = workers;
  return options;
}

std::vector<std::uint64_t> run_squares(ProcessPool& pool, std::size_t count,
                                       std::vector<std::string>* errors = nullptr) {
  std::vector<std::uint64_t> inputs(count), results(count, 0);
  for (std::size_t i = 0; i < count; ++i) inputs[i] = i + 1;
  pool.run(
      count,
      [&](std::size_t i) {
        return TaskBytes{std::as_bytes(std::span(&inputs[i], 1)), {}};
      },
      [&](const TaskOutcome& outcome) {
        if (outcome.ok) {
          std::memcpy(&results[outcome.index], outcome.result.data(), sizeof(std::uint64_t));
        } else if (errors) {
          errors->push_back(outcome.error);
        }
      });
  return results;
}

TEST(ProcessPool, RunsEveryTaskOnceAndKeepsWorkersBetweenRuns) {
  ProcessPool pool(testing::runtime().arena, testing::runtime().server, square, with_workers(3));
  for (int round = 0; round < 3; ++round) {
    const auto results = run_squares(pool, 200);
    for (std::size_t i = 0; i < results.size(); ++i) ASSERT_EQ(results[i], (i + 1) * (i + 1));
  }
}

TEST(ProcessPool, AThrowingTaskFailsThatTaskOnly) {
  ProcessPool pool(testing::runtime().arena, testing::runtime().server, always_throws,
                   with_workers(2));
  std::vector<std::string> errors;
  run_squares(pool, 5, &errors);
  EXPECT_EQ(errors, std::vector<std::string>(5, "no such luck"));
}

// A worker clears its claim in the critical section that queues its result, so a run that ends
// never finds a healthy worker still "holding" a done task and kills it: after many short runs
// the pool has the workers it started with.
TEST(ProcessPool, EndingARunKillsNoHealthyWorker) {
  ProcessPool pool(testing::runtime().arena, testing::runtime().server, square, with_workers(4));
  const std::vector<pid_t> workers = pool.worker_pids();
  std::vector<std::uint64_t> inputs(8);
  for (std::size_t i = 0; i < inputs.size(); ++i) inputs[i] = i + 1;
  for (int round = 0; round < 500; ++round) {
    const PoolRunStats stats = pool.run(
        inputs.size(),
        [&](std::size_t i) {
          return TaskBytes{std::as_bytes(std::span(&inputs[i], 1)), {}};
        },
        [](const TaskOutcome& outcome) { ASSERT_TRUE(outcome.ok) << outcome.error; });
    ASSERT_EQ(stats.workers_replaced, 0) << "round " << round;
    ASSERT_EQ(pool.worker_pids(), workers) << "round " << round;
  }
}

TEST(ProcessPool, RefusesZeroWorkers) {
  EXPECT_THROW(
      ProcessPool(testing::runtime().arena, testing::runtime().server, square, with_workers(0)),
      UsageError);
}

TEST(ProcessPool, ReleasesItsSharedMemory) {
  const std::size_t before = testing::runtime().arena.bytes_in_use();
  {
    ProcessPool pool(testing::runtime().arena, testing::runtime().server, square, with_workers(2));
    run_squares(pool, 10);
  }
  EXPECT_EQ(testing::runtime().arena.bytes_in_use(), before);
}

}  // namespace
}  // namespace pblur
