// pblur bench names every file it writes, and says when a busy machine slows its timings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "core/bench/bench_context.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

MachineInfo machine(int usable_cpus, double load) {
  MachineInfo info;
  info.usable_cpus = usable_cpus;
  info.load_average = {load, load, load};
  return info;
}

TEST(BusyMachineNote, SaysNothingWhileTheCoresTheBenchWantsAreFree) {
  EXPECT_EQ(busy_machine_note(machine(2, 0.5), {1, 2, 4}), "");
  EXPECT_EQ(busy_machine_note(machine(2, 1.5), {1}), "");
  EXPECT_EQ(busy_machine_note(machine(8, 4.4), {1, 2, 4}), "");
}

TEST(BusyMachineNote, NamesTheLoadWhenOtherProgramsTakeTheCoresTheBenchWants) {
  EXPECT_EQ(busy_machine_note(machine(2, 4.4), {1, 2, 4}),
            "load average 4.40 on 2 usable CPUs: other programs keep cores busy, so the timings "
            "are slower and noisier than on an idle machine");
  EXPECT_NE(busy_machine_note(machine(2, 0.51), {2}), "");
  EXPECT_NE(busy_machine_note(machine(2, 1.51), {1}), "");
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The lines of `err` but a busy-machine warning, which depends on the load at the time.
std::string without_load_warning(const std::string& err) {
  std::istringstream lines(err);
  std::string line, kept;
  while (std::getline(lines, line)) {
    if (!line.starts_with("pblur: warning: load average ")) kept += line + "\n";
  }
  return kept;
}

class BenchFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pblur_bench_files_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    cv::Mat image(48, 64, CV_8UC3);
    cv::RNG(5).fill(image, cv::RNG::UNIFORM, 0, 256);
    ASSERT_TRUE(cv::imwrite((dir_ / "in.png").string(), image));
  }
  void TearDown() override { fs::remove_all(dir_); }

  testing::CommandResult bench(std::vector<std::string> extra) {
    std::vector<std::string> arguments = {"bench",    "in.png", "--workers", "1,2",
                                          "--repeat", "1",      "--warmup",  "0"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    testing::Launch launch;
    launch.cwd = dir_;
    return testing::run_pblur(arguments, launch);
  }

  fs::path dir_;
};

TEST_F(BenchFiles, EachFileWrittenIsNamedOnItsOwnLineAndTheJsonCarriesTheLoadNote) {
  const testing::CommandResult run = bench({"--json", "r.json", "--csv", "r.csv"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(without_load_warning(run.err), "pblur: wrote r.json\npblur: wrote r.csv\n");
  const json report = json::parse(read_file(dir_ / "r.json"));
  const std::string note = report["context"]["load_note"];
  EXPECT_TRUE(note.empty() || note.starts_with("load average ")) << note;
  if (!note.empty()) {
    EXPECT_NE(run.out.find("warning: load average "), std::string::npos);
  }
}

TEST_F(BenchFiles, QuietNamesNoFile) {
  const testing::CommandResult run = bench({"--json", "r.json", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_TRUE(fs::exists(dir_ / "r.json"));
}

}  // namespace
}  // namespace pblur
