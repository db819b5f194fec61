// `pblur batch` streams its images: a worker that owns an image decodes, filters and encodes it
// strip by strip, and the strips split streams each image through all the workers. The outputs
// are the bytes of `pblur IN OUT --seq`, whatever the split, backend or fault, in bounded memory.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "batch_test_support.h"
#include "test_support.h"

namespace pblur::test {
namespace {

constexpr int kSomeFailed = 5;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

const std::vector<std::string> kChain = {"--filter", "gaussian:sigma=1.5", "--filter",
                                         "median:ksize=3"};

// Every format and layout pblur streams, each over 4 MiB decoded so that a worker streaming it
// alone cuts it in more than one strip.
void make_mixed_folder(const fs::path& in) {
  write_image(in / "photo.jpg", make_image(1100, 1400, CV_8UC3, 1));
  write_image(in / "rgb.png", make_image(1100, 1400, CV_8UC3, 2));
  write_image(in / "deep.png", make_image(900, 1300, CV_16UC3, 3));
  write_image(in / "scan.tif", make_image(1000, 1500, CV_8UC3, 4));
  write_image(in / "gray.png", make_image(2000, 2500, CV_8UC1, 5));
  write_image(in / "logo.png", make_image(1000, 1200, CV_8UC4, 6));
}

// Each input of `in` filtered by `pblur IN OUT --seq` with `options`, into `reference` under the
// name `output_name` gives it.
void make_references(const fs::path& dir, const std::vector<std::string>& options,
                     const std::string& format = {}) {
  fs::create_directories(dir / "reference");
  for (const std::string& name : files_below(dir / "in")) {
    fs::path output = dir / "reference" / name;
    if (!format.empty()) output.replace_extension(format);
    const RunResult run =
        run_pblur(with({(dir / "in" / name).string(), output.string(), "--seq"}, options), dir);
    ASSERT_EQ(run.exit_code, 0) << name << ": " << run.err;
  }
}

void expect_same_files(const fs::path& expected, const fs::path& actual, const std::string& how) {
  ASSERT_EQ(files_below(actual), files_below(expected)) << how;
  for (const std::string& name : files_below(expected)) {
    EXPECT_TRUE(bytes_of(expected / name) == bytes_of(actual / name)) << how << ": " << name;
  }
}

const std::vector<std::vector<std::string>> kWays = {
    {"--procs", "2", "--split", "images"},   {"--procs", "2", "--split", "strips"},
    {"--threads", "2", "--split", "images"}, {"--threads", "2", "--split", "strips"},
    {"--seq", "--split", "images"},          {"--seq", "--split", "strips"}};

std::string joined(const std::vector<std::string>& args) {
  std::string text;
  for (const std::string& arg : args) text += (text.empty() ? "" : " ") + arg;
  return text;
}

TEST(BatchStream, EveryWayGivesTheBytesOfASingleImageSeqRun) {
  const TemporaryFolder dir;
  make_mixed_folder(dir / "in");
  make_references(dir.path(), kChain);
  for (std::size_t i = 0; i < kWays.size(); ++i) {
    const std::string out = "out" + std::to_string(i);
    const RunResult run =
        run_pblur(with(with({"batch", "in", out, "-q"}, kWays[i]), kChain), dir.path());
    ASSERT_EQ(run.exit_code, 0) << joined(kWays[i]) << ": " << run.err;
    expect_same_files(dir / "reference", dir / out, joined(kWays[i]));
  }
}

TEST(BatchStream, ConversionsAndMetadataOptionsGiveTheBytesOfASingleImageSeqRun) {
  const TemporaryFolder dir;
  make_mixed_folder(dir / "in");
  const std::vector<std::string> options = {"--filter", "gaussian:sigma=2", "--depth",
                                            "8",        "--flatten",        "--keep",
                                            "none",     "--alpha",          "straight"};
  make_references(dir.path(), options, ".jpg");
  for (const auto& way : {kWays[0], kWays[3]}) {
    const RunResult run = run_pblur(
        with(with({"batch", "in", "out", "-q", "--format", "jpg", "--overwrite"}, way), options),
        dir.path());
    ASSERT_EQ(run.exit_code, 0) << joined(way) << ": " << run.err;
    expect_same_files(dir / "reference", dir / "out", joined(way));
  }
}

// A JPEG whose header is whole and whose scan stops halfway: it starts streaming, then fails.
void write_cut_jpeg(const fs::path& path, const fs::path& scratch) {
  std::string bytes =
      bytes_of(write_image(scratch / "whole.jpg", make_image(1200, 1600, CV_8UC3, 7)));
  bytes.resize(bytes.size() / 2);
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(BatchStream, JpegCutShortFailsAloneWithItsReasonAndLeavesNothing) {
  const TemporaryFolder dir;
  write_image(dir / "in/a.jpg", make_image(900, 700, CV_8UC3, 8));
  write_cut_jpeg(dir / "in/b.jpg", dir / "scratch");
  write_image(dir / "in/c.jpg", make_image(900, 700, CV_8UC3, 9));
  for (std::size_t i = 0; i < kWays.size(); ++i) {
    const std::string out = "out" + std::to_string(i);
    const RunResult run = run_pblur(with({"batch", "in", out}, kWays[i]), dir.path());
    EXPECT_EQ(run.exit_code, kSomeFailed) << joined(kWays[i]) << ": " << run.err;
    EXPECT_TRUE(contains(run.err, "2 processed, 0 skipped, 1 failed")) << run.err;
    EXPECT_TRUE(contains(run.err, "pblur: error: cannot read 'in/b.jpg': the file is ")) << run.err;
    EXPECT_EQ(files_below(dir / out), (std::set<std::string>{"a.jpg", "c.jpg"}))
        << joined(kWays[i]);
  }
}

// A worker killed while it holds an image (images) or a strip of one (strips) is replaced, and
// the image is redone or the strip sent again: the outputs are still exact.
TEST(BatchStream, WorkerKilledMidImageStillGivesTheExactOutputs) {
  const TemporaryFolder dir;
  make_mixed_folder(dir / "in");
  make_references(dir.path(), kChain);
  const std::vector<std::vector<std::string>> ways = {kWays[0], kWays[1]};
  for (std::size_t i = 0; i < ways.size(); ++i) {
    const std::string out = "out" + std::to_string(i);
    const RunResult run =
        run_pblur(with(with({"batch", "in", out, "-q"}, ways[i]), kChain), dir.path(),
                  {{"PBLUR_WORKER_FAULT", "stage=running_task,action=kill,task=2"}});
    ASSERT_EQ(run.exit_code, 0) << joined(ways[i]) << ": " << run.err;
    expect_same_files(dir / "reference", dir / out, joined(ways[i]));
  }
}

// A tall JPEG of 3000 x 16000 decodes to 144 MB: a worker that streams it holds a few strips of
// 4 MiB, so the largest process stays under half of one decoded copy, which the whole-image way
// (a BMP output, which pblur encodes whole) needs twice over.
TEST(BatchStream, StreamedWorkerHoldsAWindowNotTheImage) {
  if (pblur::testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer's shadow memory and quarantine are not pblur's window";
  const TemporaryFolder dir;
  cv::Mat tall(16000, 3000, CV_8UC3);
  for (int y = 0; y < tall.rows; ++y) tall.row(y).setTo(cv::Scalar(y % 256, (y / 64) % 256, 90));
  fs::create_directories(dir / "in");
  ASSERT_TRUE(cv::imwrite((dir / "in/tall.jpg").string(), tall));
  tall.release();
  constexpr long kDecodedKib = 3000L * 16000 * 3 / 1024;
  for (const auto& way : {std::vector<std::string>{"--threads", "1", "--split", "images"},
                          std::vector<std::string>{"--procs", "1", "--split", "images"}}) {
    const RunResult run =
        run_pblur(with({"batch", "in", "out", "-q", "--overwrite"}, way), dir.path());
    ASSERT_EQ(run.exit_code, 0) << joined(way) << ": " << run.err;
    EXPECT_LT(run.peak_rss_kib, kDecodedKib / 2) << joined(way);
  }
  const RunResult whole = run_pblur(
      {"batch", "in", "out", "-q", "--threads", "1", "--split", "images", "--format", "bmp"},
      dir.path());
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_GT(whole.peak_rss_kib, kDecodedKib);
}

}  // namespace
}  // namespace pblur::test
