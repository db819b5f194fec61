// `pblur batch` stopped by a signal, and workers that die: what is left behind, and resuming.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "batch_test_support.h"

namespace pblur::test {
namespace {

using Clock = std::chrono::steady_clock;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void make_folder(const fs::path& in, int count, int width, int height) {
  for (int i = 0; i < count; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "img%03d.png", i);
    write_image(in / name, make_image(width, height, CV_8UC3, unsigned(i)));
  }
}

// Waits until `folder` holds at least `count` files; false after 60 s.
bool wait_for_files(const fs::path& folder, std::size_t count) {
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    if (files_below(folder).size() >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

std::size_t hidden_files(const fs::path& folder) {
  std::size_t count = 0;
  for (const std::string& name : files_below(folder))
    count += fs::path(name).filename().string()[0] == '.';
  return count;
}

// One worker, and the worker hangs on the 11th image: ten outputs, then nothing more until the
// signal; the interrupted run keeps the ten, leaves no temporary file, and a rerun finishes the
// rest without touching them.
TEST(BatchInterrupt, InterruptedRunKeepsFinishedOutputsAndResumes) {
  const TemporaryFolder dir;
  make_folder(dir / "in", 24, 64, 48);
  const pid_t pid =
      start_pblur({"batch", "in", "out", "--procs", "1", "--split", "images"}, dir.path(),
                  dir / "log", {{"PBLUR_WORKER_FAULT", "stage=running_task,action=hang,task=10"}});
  ASSERT_TRUE(wait_for_files(dir / "out", 10));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(pid, SIGINT);
  EXPECT_EQ(wait_for(pid), 130);  // the hung worker is not waited for
  const std::string log = read_text(dir / "log");
  EXPECT_TRUE(
      contains(log, "interrupted by SIGINT: 10 processed, 0 skipped, 0 failed, 14 not started"))
      << log;

  const std::set<std::string> kept = files_below(dir / "out");
  EXPECT_EQ(kept.size(), 10u);
  EXPECT_EQ(hidden_files(dir / "out"), 0u);
  std::map<std::string, fs::file_time_type> times;
  for (const std::string& name : kept) {
    EXPECT_FALSE(read_image(dir / "out" / name).empty()) << name;
    times[name] = fs::last_write_time(dir / "out" / name);
  }

  const RunResult rerun = run_pblur({"batch", "in", "out", "--procs", "1"}, dir.path());
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_TRUE(contains(rerun.err, "14 processed, 10 skipped, 0 failed")) << rerun.err;
  EXPECT_EQ(files_below(dir / "out"), files_below(dir / "in"));
  for (const auto& [name, time] : times)
    EXPECT_EQ(fs::last_write_time(dir / "out" / name), time) << name;
}

// Interrupts real work at moments spread over a run, with SIGINT and SIGTERM: whatever the
// moment, the output folder holds only complete images, and a rerun completes it.
TEST(BatchInterrupt, SignalAtAnyMomentLeavesOnlyCompleteOutputs) {
  const TemporaryFolder dir;
  make_folder(dir / "in", 40, 400, 300);
  const int delays_ms[] = {0, 20, 50, 100, 150, 250, 400};
  for (int round = 0; round < 7; ++round) {
    const pid_t pid = start_pblur({"batch", "in", "out", "--overwrite", "--report", "r.json"},
                                  dir.path(), dir / "log");
    std::this_thread::sleep_for(std::chrono::milliseconds(delays_ms[round]));
    const int signal = round % 2 ? SIGTERM : SIGINT;
    kill(pid, signal);
    const int code = wait_for(pid);
    EXPECT_TRUE(code == 0 || code == 128 + signal) << code;
    EXPECT_EQ(hidden_files(dir / "out"), 0u) << "round " << round;
    for (const std::string& name : files_below(dir / "out")) {
      EXPECT_EQ(read_image(dir / "out" / name).size(), cv::Size(400, 300)) << name;
    }
    if (fs::exists(dir / "r.json")) {  // written unless the signal came before the report could be
      const auto report = nlohmann::json::parse(read_text(dir / "r.json"));
      EXPECT_EQ(report["interrupted_by"].is_null(), code == 0);
      fs::remove(dir / "r.json");
    }
  }
  EXPECT_EQ(run_pblur({"batch", "in", "out"}, dir.path()).exit_code, 0);
  EXPECT_EQ(files_below(dir / "out"), files_below(dir / "in"));
}

// Whether a process whose parent is a child of `pid` (a worker, forked by the fork server)
// appears within `limit`.
bool has_worker_within(pid_t pid, std::chrono::seconds limit) {
  const auto parent_of = [](const std::string& stat_path) -> long {
    std::ifstream stat(stat_path);
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string state;
    long parent = -1;
    fields >> state >> parent;
    return parent;
  };
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    std::set<long> children;
    std::vector<std::pair<long, long>> processes;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      processes.emplace_back(std::stol(name), parent_of(entry.path().string() + "/stat"));
    }
    for (const auto& [process, parent] : processes)
      if (parent == pid) children.insert(process);
    for (const auto& [process, parent] : processes)
      if (children.count(parent)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// In strips mode the signal lands while a worker is stuck in a strip of the first image: the
// batch stops within a second and writes nothing.
TEST(BatchInterrupt, StripsModeStopsInsideAnImage) {
  const TemporaryFolder dir;
  make_folder(dir / "in", 3, 64, 48);
  const pid_t pid =
      start_pblur({"batch", "in", "out", "--split", "strips"}, dir.path(), dir / "log",
                  {{"PBLUR_WORKER_FAULT", "stage=running_task,action=hang,task=1"}});
  // A worker exists once pblur's signal handlers are in place; then strip 1 hangs in it.
  ASSERT_TRUE(has_worker_within(pid, std::chrono::seconds(60)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGTERM);
  EXPECT_EQ(wait_for(pid), 143);  // a stop that waited for the hung strip would never return
  EXPECT_TRUE(files_below(dir / "out").empty());
  EXPECT_TRUE(contains(read_text(dir / "log"), "interrupted by SIGTERM: 0 processed"))
      << read_text(dir / "log");
}

// A worker that crashes on one image costs that image only.
TEST(BatchFaults, WorkerThatDiesOnOneImageFailsThatImageOnly) {
  const TemporaryFolder dir;
  make_folder(dir / "in", 8, 32, 24);
  write_image(dir / "in/big.png", make_image(200, 150, CV_8UC3, 99));  // the largest goes first
  const RunResult run =
      run_pblur({"batch", "in", "out", "--report", "r.json"}, dir.path(),
                {{"PBLUR_WORKER_FAULT", "stage=running_task,action=segv,task=0,times=100"}});
  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_TRUE(contains(run.err, "8 processed, 0 skipped, 1 failed")) << run.err;
  // "died of signal 11 (SIGSEGV)"; under AddressSanitizer, which catches the signal itself,
  // "died of exit status 1"
  EXPECT_TRUE(contains(run.err, "pblur: error: cannot filter 'in/big.png': its worker died of "))
      << run.err;
  EXPECT_TRUE(contains(run.err, "(3 workers lost on it)")) << run.err;
  std::set<std::string> expected = files_below(dir / "in");
  expected.erase("big.png");
  EXPECT_EQ(files_below(dir / "out"), expected);
}

// A worker that dies once is replaced and its image is retried successfully.
TEST(BatchFaults, WorkerThatDiesOnceIsReplacedAndTheImageRetried) {
  const TemporaryFolder dir;
  make_folder(dir / "in", 6, 32, 24);
  const RunResult run =
      run_pblur({"batch", "in", "out"}, dir.path(),
                {{"PBLUR_WORKER_FAULT", "stage=running_task,action=kill,task=3"}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(files_below(dir / "out"), files_below(dir / "in"));
}

// A worker stuck on one image is killed after --strip-timeout, and that image fails.
TEST(BatchFaults, HungWorkerTimesOut) {
  const TemporaryFolder dir;
  make_folder(dir / "in", 4, 32, 24);
  const RunResult run =
      run_pblur({"batch", "in", "out", "--strip-timeout", "0.2", "--procs", "1"}, dir.path(),
                {{"PBLUR_WORKER_FAULT", "stage=running_task,action=hang,task=2,times=100"}});
  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_TRUE(contains(run.err, "3 processed, 0 skipped, 1 failed")) << run.err;
  EXPECT_TRUE(contains(run.err, "its worker timed out")) << run.err;
}

}  // namespace
}  // namespace pblur::test
