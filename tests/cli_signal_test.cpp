// pblur under SIGINT, SIGTERM and SIGKILL: no stray process, no temporary file, no /dev/shm
// entry, and an existing output untouched.
#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "cli_runner.h"
#include "process_helpers.h"
#include "test_support.h"

namespace pblur {
namespace {

struct Descendants {
  pid_t server = -1;
  std::vector<pid_t> workers;
};

// Waits until pblur's fork server has `workers` workers; fails instead of hanging.
Descendants wait_for_workers(pid_t pblur, std::size_t workers) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto children = testing::children_of(pblur);
    if (children.size() == 1) {
      Descendants found{children[0], testing::children_of(children[0])};
      if (found.workers.size() == workers) return found;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ADD_FAILURE() << "pblur's workers never appeared";
  return {};
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

class Interrupted : public ::testing::TestWithParam<int> {};

TEST_P(Interrupted, PblurStopsCleanly) {
  const int signal = GetParam();
  testing::become_subreaper();
  testing::TemporaryFolder folder;
  const auto out = folder / "out.png";
  std::ofstream(out) << "precious";
  const int dev_shm_before = testing::count_dev_shm_entries();

  // Workers that hang on their strips keep pblur busy until the signal.
  setenv("PBLUR_WORKER_FAULT", "stage=running_task,action=hang,times=1000", 1);
  const pid_t pblur = testing::start_pblur(
      {testing::sample_image("fruits.jpg").string(), out.string(), "--procs", "2"}, folder.path());
  unsetenv("PBLUR_WORKER_FAULT");
  const Descendants descendants = wait_for_workers(pblur, 2);
  kill(pblur, signal);

  EXPECT_EQ(testing::wait_for_pblur(pblur), 128 + signal);
  EXPECT_TRUE(testing::reap_within(descendants.server, std::chrono::seconds(10)));
  for (const pid_t worker : descendants.workers) {
    EXPECT_TRUE(testing::reap_within(worker, std::chrono::seconds(10))) << "worker " << worker;
  }
  EXPECT_EQ(read_bytes(out), "precious");
  std::vector<std::string> left = folder.entries();
  std::erase_if(left,
                [](const std::string& name) { return name == ".stdout" || name == ".stderr"; });
  EXPECT_EQ(left, std::vector<std::string>{"out.png"});
  EXPECT_EQ(testing::count_dev_shm_entries(), dev_shm_before);
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupted, ::testing::Values(SIGINT, SIGTERM, SIGKILL),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return std::string(sigabbrev_np(param.param));
                         });

}  // namespace
}  // namespace pblur
