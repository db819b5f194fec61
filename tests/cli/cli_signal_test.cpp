// pblur under SIGINT, SIGTERM and SIGKILL: no stray process, no temporary file, no /dev/shm
// entry, and an existing output untouched.
#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

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

// Finished outputs in `folder`: files whose names do not start with a dot.
int count_outputs(const std::filesystem::path& folder) {
  int count = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    count += entry.path().filename().string()[0] != '.';
  }
  return count;
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
  const pid_t pblur = testing::start_pblur(
      {testing::sample_image("fruits.jpg").string(), out.string(), "--procs", "2"}, folder.path(),
      testing::with_worker_fault("stage=running_task,action=hang,times=1000"));
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

// What a process group gets from `kill -- -PGID`, systemd, Slurm's scancel or a closing
// terminal: every process of pblur at once. The fork server and the workers ignore it; pblur
// batch stops, keeps its finished outputs, prints its summary, writes its report and exits with
// 128 + the signal, leaving no process and no temporary file.
class GroupSignal : public ::testing::TestWithParam<int> {};

TEST_P(GroupSignal, BatchStopsWithItsSummaryAndReport) {
  const int signal = GetParam();
  testing::become_subreaper();
  testing::TemporaryFolder folder;
  const int dev_shm_before = testing::count_dev_shm_entries();
  std::filesystem::create_directory(folder / "in");
  for (int i = 0; i < 40; ++i) {
    const auto name = "img" + std::to_string(100 + i) + ".png";
    ASSERT_TRUE(cv::imwrite((folder / "in" / name).string(),
                            testing::random_image(600, 800, CV_8UC3, std::uint64_t(i))));
  }
  testing::Launch launch;
  launch.own_process_group = true;
  const pid_t pblur =
      testing::start_pblur({"batch", (folder / "in").string(), (folder / "out").string(), "--procs",
                            "2", "--report", (folder / "r.json").string()},
                           folder.path(), launch);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (count_outputs(folder / "out") < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  kill(-pblur, signal);

  EXPECT_EQ(testing::wait_for_pblur(pblur), 128 + signal);
  EXPECT_EQ(testing::stray_children(), std::vector<pid_t>{}) << "processes left behind";
  EXPECT_EQ(testing::count_dev_shm_entries(), dev_shm_before);
  const std::string err = read_bytes(folder / ".stderr");
  EXPECT_THAT(err, ::testing::HasSubstr(std::string("pblur: error: interrupted by SIG") +
                                        sigabbrev_np(signal) + ": "))
      << err;
  EXPECT_THAT(
      read_bytes(folder / "r.json"),
      ::testing::HasSubstr(std::string("\"interrupted_by\": \"SIG") + sigabbrev_np(signal)));
  const auto reference = testing::run_pblur(
      {"batch", (folder / "in").string(), (folder / "seq").string(), "--seq", "-q"});
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  for (const auto& entry : std::filesystem::directory_iterator(folder / "out")) {
    const std::string name = entry.path().filename().string();
    EXPECT_NE(name[0], '.') << "temporary file left: " << name;
    EXPECT_EQ(read_bytes(entry.path()), read_bytes(folder / "seq" / name)) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Signals, GroupSignal, ::testing::Values(SIGTERM, SIGHUP, SIGINT),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return std::string(sigabbrev_np(param.param));
                         });

}  // namespace
}  // namespace pblur
