// The command line end to end: exit codes, one-line messages, and the files left behind.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "core/backends/sequential_backend.h"
#include "core/image/image_io.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int kProcessingFailed = 1, kUsage = 2, kBadInput = 3, kBadOutput = 4;

std::string fruits() {
  return testing::sample_image("fruits.jpg").string();
}

int line_count(const std::string& text) {
  return int(std::count(text.begin(), text.end(), '\n'));
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

// A failure: the given code, one line on stderr that says `reason`, and no file written.
void expect_refused(const std::vector<std::string>& arguments, int code, const std::string& reason,
                    const testing::TemporaryFolder& folder) {
  const auto before = folder.entries();
  const auto result = testing::run_pblur(arguments);
  EXPECT_EQ(result.exit_code, code);
  EXPECT_EQ(line_count(result.err), 1) << result.err;
  EXPECT_THAT(result.err, StartsWith("pblur: error: "));
  EXPECT_THAT(result.err, HasSubstr(reason));
  EXPECT_EQ(folder.entries(), before);
}

TEST(Cli, FiltersAnImageSilentlyAndExactly) {
  testing::TemporaryFolder folder;
  const auto out = folder / "out.png";
  const auto result = testing::run_pblur({fruits(), out.string(), "--procs", "2", "--sigma", "3"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out, "");
  FilterSpec spec;
  spec.sigma = 3;
  const cv::Mat expected = filter_sequential(load_image(fruits()), spec).image;
  EXPECT_TRUE(testing::identical(load_image(out), expected));
  EXPECT_EQ(folder.entries(), std::vector<std::string>{"out.png"});
}

TEST(Cli, EveryBackendWritesTheSameBytes) {
  testing::TemporaryFolder folder;
  const std::vector<std::vector<std::string>> backends = {{"--seq"},
                                                          {"--threads", "2"},
                                                          {"--procs", "2"},
                                                          {"--procs", "3", "--transport", "copy"},
                                                          {"--procs", "2", "--strips", "9"},
                                                          {"--threads", "3", "--strips", "1000"}};
  for (const char* filter : {"gaussian", "box", "median", "pil-blur"}) {
    std::string reference;
    for (const auto& backend : backends) {
      std::vector<std::string> arguments = {fruits(), (folder / "out.png").string(), "--filter",
                                            filter};
      arguments.insert(arguments.end(), backend.begin(), backend.end());
      ASSERT_EQ(testing::run_pblur(arguments).exit_code, 0);
      const std::string bytes = read_bytes(folder / "out.png");
      if (reference.empty()) reference = bytes;
      EXPECT_EQ(bytes, reference) << filter << " " << backend[0];
    }
  }
}

TEST(Cli, VerbosePrintsEveryPhaseOfAWholeImageRunAndWhy) {
  testing::TemporaryFolder folder;
  const auto result =
      testing::run_pblur({fruits(), (folder / "o.bmp").string(), "-v", "--procs", "2"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("whole image: pblur encodes .bmp files whole"));
  for (const char* phase : {"load", "start workers", "send", "filter", "collect", "save"}) {
    EXPECT_THAT(result.err, HasSubstr(phase));
  }
}

TEST(Cli, VerbosePrintsEveryStageOfAStreamedRun) {
  testing::TemporaryFolder folder;
  for (const char* backend : {"--procs", "--threads"}) {
    const auto result =
        testing::run_pblur({fruits(), (folder / "o.jpg").string(), "-v", backend, "2"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_THAT(result.err, HasSubstr("streamed: 15 strips"));
    for (const char* stage : {"decode (busy)", "filter (busy)", "encode (busy)", "total"}) {
      EXPECT_THAT(result.err, HasSubstr(stage));
    }
  }
}

TEST(Cli, KeepsChannelsAndDepthAndAppliesOrientation) {
  testing::TemporaryFolder folder;
  const auto gray16 = folder / "g.png", rgba = folder / "a.png", turned = folder / "t.png";
  ASSERT_EQ(
      testing::run_pblur({testing::sample_image("building_gray16.png").string(), gray16.string()})
          .exit_code,
      0);
  ASSERT_EQ(
      testing::run_pblur({testing::sample_image("butterfly_rgba.png").string(), rgba.string()})
          .exit_code,
      0);
  ASSERT_EQ(testing::run_pblur({testing::test_data("exif_rotate90.jpg").string(), turned.string()})
                .exit_code,
            0);
  EXPECT_EQ(load_image(gray16).type(), CV_16UC1);
  EXPECT_EQ(load_image(rgba).type(), CV_8UC4);
  EXPECT_EQ(load_image(turned).size(), cv::Size(32, 64));
}

TEST(Cli, InputMayBeTheOutput) {
  testing::TemporaryFolder folder;
  const auto path = folder / "same.png";
  const cv::Mat image = testing::random_image(30, 40, CV_8UC3);
  save_image(image, path);
  ASSERT_EQ(testing::run_pblur({path.string(), path.string(), "--filter", "box"}).exit_code, 0);
  FilterSpec box;
  box.kind = FilterKind::box;
  EXPECT_TRUE(testing::identical(load_image(path), filter_sequential(image, box).image));
  EXPECT_EQ(folder.entries(), std::vector<std::string>{"same.png"});
}

TEST(Cli, BadInputsAreRefusedWithExitCodeThree) {
  testing::TemporaryFolder folder;
  const std::string out = (folder / "out.png").string();
  expect_refused({(folder / "missing.jpg").string(), out}, kBadInput, "no such file", folder);
  expect_refused({folder.path().string(), out}, kBadInput, "folder", folder);
  expect_refused({testing::test_data("empty.png").string(), out}, kBadInput, "empty", folder);
  expect_refused({testing::test_data("not_an_image.jpg").string(), out}, kBadInput, "not an image",
                 folder);
  expect_refused({testing::test_data("truncated.jpg").string(), out}, kBadInput, "truncated",
                 folder);
  expect_refused({testing::test_data("truncated.png").string(), out}, kBadInput, "truncated",
                 folder);
  expect_refused({fruits(), out, "--max-pixels", "1000"}, kBadInput, "more than --max-pixels",
                 folder);
}

TEST(Cli, UnreadableInputIsRefused) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads every file";
  testing::TemporaryFolder folder;
  const auto locked = folder / "locked.png";
  save_image(testing::random_image(4, 4, CV_8UC1), locked);
  chmod(locked.c_str(), 0);
  expect_refused({locked.string(), (folder / "out.png").string()}, kBadInput, "Permission denied",
                 folder);
}

TEST(Cli, BadOutputsAreRefusedWithExitCodeFour) {
  testing::TemporaryFolder folder;
  expect_refused({fruits(), (folder / "nowhere" / "out.png").string()}, kBadOutput,
                 "does not exist", folder);
  expect_refused({fruits(), (folder / "out.xyz").string()}, kBadOutput, "unknown output format",
                 folder);
  expect_refused(
      {testing::sample_image("building_gray16.png").string(), (folder / "out.jpg").string()},
      kBadOutput, "cannot store a 16-bit gray image", folder);
}

TEST(Cli, NonsenseOptionsAreRefusedWithExitCodeTwo) {
  testing::TemporaryFolder folder;
  const std::string out = (folder / "out.png").string();
  expect_refused({fruits(), out, "--procs", "0"}, kUsage, "--procs", folder);
  expect_refused({fruits(), out, "--procs", "-2"}, kUsage, "--procs", folder);
  expect_refused({fruits(), out, "--procs", "100000"}, kUsage, "--procs", folder);
  expect_refused({fruits(), out, "--threads", "0"}, kUsage, "--threads", folder);
  expect_refused({fruits(), out, "--sigma", "-1"}, kUsage, "--sigma", folder);
  expect_refused({fruits(), out, "--filter", "median", "--ksize", "4"}, kUsage, "odd", folder);
  expect_refused({fruits(), out, "--procs", "2", "--threads", "2"}, kUsage, "excludes", folder);
  expect_refused({fruits(), out, "--seq", "--procs", "2"}, kUsage, "excludes", folder);
  expect_refused({fruits(), out, "--filter", "sharpen"}, kUsage, "--filter", folder);
  expect_refused({fruits(), out, "--strips", "0"}, kUsage, "--strips", folder);
  expect_refused({fruits()}, kUsage, "OUTPUT", folder);
  expect_refused({fruits(), out, "--no-such-option"}, kUsage, "no-such-option", folder);
  expect_refused({fruits(), out, "--filter", "box", "--sigma", "3"}, kUsage,
                 "pblur: error: --sigma is not used by --filter box, which takes ksize, border",
                 folder);
  expect_refused({fruits(), out, "--filter", "sharpen"}, kUsage,
                 "pblur: error: --filter: unknown filter 'sharpen' (did you mean 'pil-sharpen'?)",
                 folder);
  expect_refused({fruits(), out, "--filter", "pil-rank:size=3,rnk=2"}, kUsage,
                 "pblur: error: --filter pil-rank: unknown key 'rnk' (did you mean 'rank'?); "
                 "pil-rank takes size, rank",
                 folder);
  expect_refused({fruits(), out, "--filter", "pil-median:size=0"}, kUsage,
                 "pblur: error: --filter pil-median: size=0 is not allowed: expected an integer "
                 "from 1 to 2001",
                 folder);
  expect_refused({fruits(), out, "--filter", "pil-rank:size=3,rank=9"}, kUsage,
                 "pil-rank rank must be between 0 and 8 for size 3, got 9", folder);
  expect_refused({fruits(), out, "--filter", "pil-rank"}, kUsage,
                 "pblur: error: --filter pil-rank needs rank=VALUE", folder);
  expect_refused({fruits(), out, "--filter", "pil-blur", "--filter", "box", "--ksize", "3"}, kUsage,
                 "--ksize applies to a single --filter", folder);
  expect_refused({fruits(), out, "--filter", "pil-kernel:kernel=1 -1 0 0 0 0 0 0 0"}, kUsage,
                 "pil-kernel scale must not be 0", folder);
}

// Every key of the OpenCV-based filters: a bad value exits 2 naming the filter and the key.
TEST(Cli, RefusesBadKeysOfTheOpenCvFiltersNamingThem) {
  testing::TemporaryFolder folder;
  const std::string out = (folder / "out.png").string();
  const std::string kernel = (folder / "kernel.txt").string();
  const std::string square = (folder / "k3.txt").string();
  write_bytes(kernel, "1 2\n3\n");
  write_bytes(square, "1 1 1\n1 1 1\n1 1 1\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"unsharp:sigma=0", "unsharp sigma must be above 0"},
      {"unsharp:amount=-1",
       "--filter unsharp: amount=-1 is not allowed: expected a number from 0 to 100"},
      {"unsharp:threshold=x", "--filter unsharp: threshold=x is not allowed"},
      {"unsharp:radius=2",
       "--filter unsharp: unknown key 'radius'; unsharp takes sigma, amount, "
       "threshold"},
      {"bilateral:d=0", "--filter bilateral: d=0 is not allowed: expected an integer from 1 to 51"},
      {"bilateral:sigma_colour=3", "unknown key 'sigma_colour' (did you mean 'sigma_color'?)"},
      {"bilateral:sigma_space=0", "--filter bilateral: sigma_space=0 is not allowed"},
      {"kernel", "--filter kernel needs file=VALUE"},
      {"kernel:file=" + kernel, "--filter kernel: file=" + kernel +
                                    " is not allowed: expected a text file of rows of numbers, "
                                    "at most 7x7 (line 2 has 1 numbers, line 1 has 2)"},
      {"kernel:file=" + out, "(no such file)"},
      {"kernel:file=" + folder.path().string(), "(not a regular file)"},
      {"kernel:file=" + square + ",anchor=2", "anchor=2 is not allowed"},
      {"kernel:file=" + square + ",anchor=3 0", "kernel anchor 3 0 lies outside the 3x3 kernel"},
      {"erode:shape=disk",
       "--filter erode: shape=disk is not allowed: expected rect, ellipse or "
       "cross"},
      {"open:iterations=0",
       "--filter open: iterations=0 is not allowed: expected an integer "
       "from 1 to 100"},
      {"tophat:size=0", "--filter tophat: size=0 is not allowed"},
      {"gradient:ksize=3", "unknown key 'ksize' (did you mean 'size'?)"},
      {"sobel:ksize=4", "sobel ksize must be 1, 3, 5 or 7, got 4"},
      {"laplacian:ksize=9", "laplacian ksize must be 1, 3, 5 or 7, got 9"},
      {"scharr:ksize=3", "unknown key 'ksize'; scharr takes scale, border"},
      {"sobel:scale=0", "--filter sobel: scale=0 is not allowed: expected a number other than 0"},
      {"sobel:border=wrap", "--filter sobel: border=wrap is not allowed"},
      {"min:size=2002", "--filter min: size=2002 is not allowed"},
      {"max:iterations=2", "unknown key 'iterations'; max takes size"},
      {"pil-gaussian:radius=1001", "--filter pil-gaussian: radius=1001 is not allowed"},
      {"pil-box", "--filter pil-box needs radius=VALUE"},
      {"pil-unsharp:percent=x", "--filter pil-unsharp: percent=x is not allowed"},
  };
  for (const auto& [filter, message] : cases) {
    SCOPED_TRACE(filter);
    expect_refused({fruits(), out, "--filter", filter}, kUsage, message, folder);
  }
  expect_refused(
      {testing::sample_image("building_gray16.png").string(), out, "--filter", "bilateral"}, kUsage,
      "bilateral filters 8-bit images only", folder);
}

TEST(Cli, AFailureLeavesAnExistingOutputUntouched) {
  testing::TemporaryFolder folder;
  const auto out = folder / "out.png";
  write_bytes(out, "precious");
  const auto result =
      testing::run_pblur({testing::test_data("truncated.jpg").string(), out.string()});
  EXPECT_EQ(result.exit_code, kBadInput);
  EXPECT_EQ(read_bytes(out), "precious");
  EXPECT_EQ(folder.entries(), std::vector<std::string>{"out.png"});
}

TEST(Cli, HelpAndVersionSucceed) {
  const auto help = testing::run_pblur({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--procs"));
  EXPECT_THAT(help.out, HasSubstr("gaussian"));
  const auto version = testing::run_pblur({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("pblur " PBLUR_VERSION));
}

TEST(Cli, AStripThatKeepsKillingWorkersFailsTheRunNamingStripAndSignal) {
  testing::TemporaryFolder folder;
  const auto result = testing::run_pblur(
      {fruits(), (folder / "out.png").string(), "--procs", "2", "--strips", "2"},
      testing::with_worker_fault("stage=running_task,action=segv,task=1,times=1000"));
  EXPECT_EQ(result.exit_code, kProcessingFailed);
  EXPECT_THAT(result.err, HasSubstr("strip 2 of 2"));
  EXPECT_THAT(result.err, HasSubstr("SIGSEGV"));
  EXPECT_EQ(line_count(result.err), 1);
  EXPECT_TRUE(folder.entries().empty());
}

}  // namespace
}  // namespace pblur
