// pblur where the system is less generous than usual: no pidfds (kernels before 5.3, seccomp
// profiles), few file descriptors, a capped address space (ulimit -v). Every run is bounded by
// the runner's watchdog; each must end with the exact output or one clear line, leaving no
// process and nothing in /dev/shm.
#include <signal.h>

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "process_helpers.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;

constexpr rlim_t kTwoGibibytes = rlim_t{2} << 30;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

int line_count(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::string fruits() {
  return testing::sample_image("fruits.jpg").string();
}

// What `pblur INPUT x.png --seq` writes: the bytes every other run must match.
std::string reference_output(const std::string& input, const std::filesystem::path& folder) {
  const auto path = folder / "reference.png";
  EXPECT_EQ(testing::run_pblur({input, path.string(), "--seq"}).exit_code, 0);
  const std::string bytes = read_bytes(path);
  std::filesystem::remove(path);
  return bytes;
}

testing::Launch without_pidfds(testing::Launch launch = {}) {
  launch.environment.push_back(std::string("LD_PRELOAD=") + PBLUR_NO_PIDFD_SHIM);
  return launch;
}

// Processes and /dev/shm entries, before and after a case.
class NothingLeftBehind : public ::testing::Test {
 protected:
  void SetUp() override { testing::become_subreaper(); }
  void TearDown() override {
    // pblur is reaped; its helpers, orphaned to this process, must be gone too.
    EXPECT_EQ(testing::stray_children(), std::vector<pid_t>{}) << "processes left behind";
    EXPECT_EQ(testing::count_dev_shm_entries(), dev_shm_before_);
  }

  // `pblur fruits.jpg out.png OPTIONS` as `launch` says ends well, with the reference bytes.
  void expect_reference_bytes(const std::vector<std::string>& options,
                              const testing::Launch& launch) {
    if (expected_.empty()) expected_ = reference_output(fruits(), folder_.path());
    const auto out = folder_ / "out.png";
    std::vector<std::string> arguments = {fruits(), out.string()};
    arguments.insert(arguments.end(), options.begin(), options.end());
    const auto result = testing::run_pblur(arguments, launch, std::chrono::seconds(120));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    EXPECT_EQ(read_bytes(out), expected_);
  }

  int dev_shm_before_ = testing::count_dev_shm_entries();
  testing::TemporaryFolder folder_;
  std::string expected_;
};

using NoPidfd = NothingLeftBehind;

// The shim does what the other tests rely on: pidfd_open fails with ENOSYS under it.
TEST_F(NoPidfd, TheShimRefusesPidfds) {
  const std::string script =
      "import errno, os\n"
      "try:\n    os.pidfd_open(os.getpid())\nexcept OSError as e:\n"
      "    raise SystemExit(0 if e.errno == errno.ENOSYS else 1)\nraise SystemExit(2)\n";
  const std::string command = "LD_PRELOAD=" PBLUR_NO_PIDFD_SHIM " python3 -c '" + script + "'";
  EXPECT_EQ(std::system(command.c_str()), 0);
}

TEST_F(NoPidfd, OrdinaryRunsFinishWithTheReferenceBytes) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer must be loaded before the no-pidfd shim";
  for (int run = 0; run < 12 && !HasFailure(); ++run) {
    SCOPED_TRACE("run " + std::to_string(run));
    expect_reference_bytes({"--procs", "4"}, without_pidfds());
  }
}

TEST_F(NoPidfd, AKilledWorkerIsReplacedAndItsStripRedone) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer must be loaded before the no-pidfd shim";
  expect_reference_bytes(
      {"--procs", "3", "--strips", "6"},
      without_pidfds(testing::with_worker_fault("stage=running_task,action=kill,task=2,times=2")));
}

TEST_F(NoPidfd, StripTimeoutKillsAHungWorker) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer must be loaded before the no-pidfd shim";
  expect_reference_bytes(
      {"--procs", "2", "--strip-timeout", "0.5"},
      without_pidfds(testing::with_worker_fault("stage=running_task,action=hang,task=1")));
}

TEST_F(NoPidfd, AStripThatAlwaysHangsFailsTheRunAfterItsTimeouts) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer must be loaded before the no-pidfd shim";
  const auto out = folder_ / "out.png";
  const auto result = testing::run_pblur(
      {fruits(), out.string(), "--procs", "2", "--strips", "2", "--strip-timeout", "0.2"},
      without_pidfds(testing::with_worker_fault("stage=running_task,action=hang,task=1,times=9")),
      std::chrono::seconds(60));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "pblur: error: strip 2 of 2 (rows 240-479) failed: its worker timed out "
            "(3 workers lost on it)\n");
  EXPECT_EQ(folder_.entries(), std::vector<std::string>{});
}

using FewDescriptors = NothingLeftBehind;

// Workers cost the parent no descriptor: 4 of them run under a limit of 8.
TEST_F(FewDescriptors, EightAreEnough) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer needs descriptors of its own";
  testing::Launch launch;
  launch.open_files = 8;
  expect_reference_bytes({"--procs", "4"}, launch);
}

TEST_F(FewDescriptors, TooFewAreAClearErrorNotAHang) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer needs descriptors of its own";
  const auto out = folder_ / "out.png";
  testing::Launch launch;
  launch.open_files = 5;
  const auto result = testing::run_pblur({fruits(), out.string(), "--procs", "4"}, launch,
                                         std::chrono::seconds(60));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, ::testing::StartsWith("pblur: error: "));
  EXPECT_THAT(result.err, ::testing::EndsWith(": Too many open files\n"));
  EXPECT_EQ(line_count(result.err), 1);
  EXPECT_EQ(folder_.entries(), std::vector<std::string>{});
}

// 256 workers under a limit of 200 descriptors.
TEST_F(FewDescriptors, ManyWorkersNeedNoDescriptorEach) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer needs descriptors of its own";
  testing::Launch launch;
  launch.open_files = 200;
  expect_reference_bytes({"--procs", "256"}, launch);
}

using AddressSpaceLimit = NothingLeftBehind;

TEST_F(AddressSpaceLimit, TwoGibibytesAreEnoughForAnImage) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer reserves more address space than the limit";
  testing::Launch launch;
  launch.address_space = kTwoGibibytes;
  expect_reference_bytes({"--procs", "2"}, launch);
}

TEST_F(AddressSpaceLimit, TwoGibibytesAreEnoughForABatch) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer reserves more address space than the limit";
  const auto in = folder_ / "in";
  std::filesystem::create_directory(in);
  for (const char* name : {"fruits.jpg", "building.jpg", "home.jpg"}) {
    std::filesystem::copy_file(testing::sample_image(name), in / name);
  }
  testing::Launch launch;
  launch.address_space = kTwoGibibytes;
  const auto batch = testing::run_pblur(
      {"batch", in.string(), (folder_ / "out").string(), "--procs", "2", "-q"}, launch);
  EXPECT_EQ(batch.exit_code, 0) << batch.err;
  EXPECT_EQ(batch.err, "");
  const auto seq =
      testing::run_pblur({"batch", in.string(), (folder_ / "seq").string(), "--seq", "-q"});
  ASSERT_EQ(seq.exit_code, 0) << seq.err;
  for (const char* name : {"fruits.jpg", "building.jpg", "home.jpg"}) {
    EXPECT_EQ(read_bytes(folder_ / "out" / name), read_bytes(folder_ / "seq" / name)) << name;
  }
}

// 8000x8000 RGB is 183 MiB decoded, and as much again for the output: more than a limit of
// 800 MB leaves the workers' shared memory.
// Whole, an 8000 x 8000 image does not fit in 800 MB of address space; streamed, it does.
TEST_F(AddressSpaceLimit, AnImageThatDoesNotFitWholeIsAClearErrorAndStreamsInBoundedMemory) {
  if (testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer reserves more address space than the limit";
  cv::Mat gradient(8000, 8000, CV_8UC3);
  for (int row = 0; row < gradient.rows; ++row) {
    gradient.row(row).setTo(cv::Scalar(row % 256, (row / 32) % 256, 128));
  }
  const auto in = folder_ / "big.png";
  ASSERT_TRUE(cv::imwrite(in.string(), gradient));
  gradient.release();
  testing::Launch launch;
  launch.address_space = 800'000'000;
  const auto streamed =
      testing::run_pblur({in.string(), (folder_ / "out.png").string(), "--procs", "2"}, launch);
  EXPECT_EQ(streamed.exit_code, 0) << streamed.err;
  std::filesystem::remove(folder_ / "out.png");
  const auto result =
      testing::run_pblur({in.string(), (folder_ / "out.bmp").string(), "--procs", "2"}, launch);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("pblur: error: the workers' shared memory is full: 183 MiB "
                                    "more needed, "));
  EXPECT_THAT(result.err, HasSubstr(" MiB reserved (ulimit -v caps it): use --threads\n"));
  EXPECT_EQ(line_count(result.err), 1);
  EXPECT_EQ(folder_.entries(), std::vector<std::string>{"big.png"});
}

TEST(StripTimeout, MustBeAFiniteNumberInRange) {
  for (const std::string value : {"nan", "NaN", "inf", "-1", "0"}) {
    const auto result = testing::run_pblur({fruits(), "out.png", "--strip-timeout", value});
    EXPECT_EQ(result.exit_code, 2) << value;
    EXPECT_THAT(result.err, HasSubstr("pblur: error: --strip-timeout: Value " + value)) << value;
    EXPECT_EQ(line_count(result.err), 1) << value;
  }
}

// PBLUR_WORKER_FAULT is a hook of the test build only: the released pblur ignores it.
TEST_F(NothingLeftBehind, ReleasedPblurInjectsNoFault) {
  testing::Launch launch;
  launch.binary = PBLUR_BINARY;  // the released build, though PBLUR_WORKER_FAULT is set
  launch.environment = {"PBLUR_WORKER_FAULT=stage=running_task,action=segv,times=1000"};
  expect_reference_bytes({"--procs", "2"}, launch);
  launch.binary = PBLUR_WITH_FAULT_HOOK;  // the test build does inject it
  const auto faulty =
      testing::run_pblur({fruits(), (folder_ / "out.png").string(), "--procs", "2"}, launch);
  EXPECT_EQ(faulty.exit_code, 1);
  EXPECT_THAT(faulty.err, HasSubstr("(SIGSEGV) (3 workers lost on it)\n"));
}

}  // namespace
}  // namespace pblur
