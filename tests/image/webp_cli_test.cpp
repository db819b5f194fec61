// WebP outputs from the command line: lossy at quality 75 unless --lossless or a lossless WebP
// input says otherwise, byte for byte as cv::imencode writes the same pixels; --lossless refused
// with --quality and for other formats, in pblur and pblur batch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "codec_test_support.h"
#include "test_support.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

constexpr int kUsage = 2;

void filter(const std::vector<std::string>& arguments) {
  const testing::CommandResult result = testing::run_pblur(arguments);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, ::testing::Not(::testing::HasSubstr("pblur:")));
}

std::vector<uchar> bytes_of(const fs::path& path) {
  const std::vector<std::byte> bytes = testing::read_file(path);
  const auto* begin = reinterpret_cast<const uchar*>(bytes.data());
  return {begin, begin + bytes.size()};
}

// The fourcc of a WebP's first chunk: "VP8 " (lossy), "VP8L" (lossless) or "VP8X" (extended).
std::string first_chunk(const fs::path& path) {
  const std::vector<uchar> bytes = bytes_of(path);
  return bytes.size() < 16 ? "" : std::string(bytes.begin() + 12, bytes.begin() + 16);
}

std::vector<uchar> opencv_webp(const cv::Mat& image, const std::vector<int>& parameters) {
  std::vector<uchar> bytes;
  EXPECT_TRUE(cv::imencode(".webp", image, bytes, parameters));
  return bytes;
}

TEST(WebpCli, ALosslessInputComesOutLosslessWithTheExactPixels) {
  testing::TemporaryFolder folder;
  for (const int type : {CV_8UC3, CV_8UC4}) {
    const cv::Mat image = testing::photo(37, 53, type);
    const fs::path in = folder / "in.webp";
    ASSERT_TRUE(cv::imwrite(in.string(), image));  // OpenCV's default: lossless
    // A 1x1 box filters nothing (straight alpha: premultiplying would clear transparent colours).
    filter({in.string(), (folder / "same.webp").string(), "--filter", "box:ksize=1", "--alpha",
            "straight"});
    EXPECT_EQ(first_chunk(folder / "same.webp"), "VP8L");
    EXPECT_TRUE(testing::identical(cv::imread((folder / "same.webp").string(), -1),
                                   cv::imread(in.string(), -1)));
    filter({in.string(), (folder / "out.webp").string(), "--procs", "2"});
    filter({in.string(), (folder / "out.png").string(), "--procs", "2"});
    EXPECT_TRUE(testing::identical(cv::imread((folder / "out.webp").string(), -1),
                                   cv::imread((folder / "out.png").string(), -1)));
    filter({in.string(), (folder / "q.webp").string(), "--quality", "60"});
    EXPECT_EQ(first_chunk(folder / "q.webp"), type == CV_8UC4 ? "VP8X" : "VP8 ");
  }
}

TEST(WebpCli, OtherInputsComeOutLossyAtQuality75AsImencodeWritesThem) {
  testing::TemporaryFolder folder;
  const std::string in = testing::sample_image("fruits.jpg").string();
  filter({in, (folder / "out.png").string(), "--keep", "none"});
  const cv::Mat filtered = cv::imread((folder / "out.png").string(), -1);
  filter({in, (folder / "default.webp").string(), "--keep", "none"});
  filter({in, (folder / "q90.webp").string(), "--keep", "none", "--quality", "90", "--seq"});
  filter({in, (folder / "lossless.webp").string(), "--keep", "none", "--lossless"});
  EXPECT_EQ(bytes_of(folder / "default.webp"),
            opencv_webp(filtered, {cv::IMWRITE_WEBP_QUALITY, 75}));
  EXPECT_EQ(bytes_of(folder / "q90.webp"), opencv_webp(filtered, {cv::IMWRITE_WEBP_QUALITY, 90}));
  EXPECT_EQ(bytes_of(folder / "lossless.webp"), opencv_webp(filtered, {}));
}

TEST(WebpCli, LosslessIsRefusedWithQualityAndForOtherFormats) {
  testing::TemporaryFolder folder;
  const std::string in = testing::sample_image("fruits.jpg").string();
  const auto expect_refused = [&folder](const std::vector<std::string>& arguments,
                                        const std::string& message) {
    const testing::CommandResult result = testing::run_pblur(arguments);
    EXPECT_EQ(result.exit_code, kUsage) << result.err;
    EXPECT_EQ(result.err, "pblur: error: " + message + "\n");
    EXPECT_EQ(folder.entries().size(), 1u);  // "in" alone
  };
  fs::create_directory(folder / "in");
  expect_refused({in, (folder / "out.jpg").string(), "--lossless"},
                 "--lossless is not used by .jpg outputs: only WebP has it");
  expect_refused({in, "png:-", "--lossless"},
                 "--lossless is not used by .png outputs: only WebP has it");
  expect_refused({in, (folder / "out.webp").string(), "--lossless", "--quality", "80"},
                 "--lossless and --quality cannot both be given: a lossless WebP has no quality");
  expect_refused({"batch", (folder / "in").string(), (folder / "out").string(), "--format", "png",
                  "--lossless"},
                 "--lossless is not used by .png outputs: only WebP has it");
}

TEST(WebpCli, BatchWritesLosslessWebpWithLosslessInBothSplits) {
  testing::TemporaryFolder folder;
  fs::create_directory(folder / "in");
  cv::imwrite((folder / "in/a.png").string(), testing::photo(40, 30));
  cv::imwrite((folder / "in/b.png").string(), testing::photo(30, 40, CV_8UC4));
  for (const char* split : {"images", "strips"}) {
    const fs::path out = folder / split;
    filter({"batch", (folder / "in").string(), out.string(), "--format", "webp", "--lossless",
            "--split", split, "--procs", "2", "-q"});
    filter({"batch", (folder / "in").string(), (folder / "png").string(), "--format", "png",
            "--split", split, "-q"});
    for (const char* name : {"a", "b"}) {
      EXPECT_EQ(first_chunk(out / (std::string(name) + ".webp")), "VP8L") << split << name;
      EXPECT_TRUE(testing::identical(
          cv::imread((out / (std::string(name) + ".webp")).string(), -1),
          cv::imread((folder / "png" / (std::string(name) + ".png")).string(), -1)));
    }
  }
}

}  // namespace
}  // namespace pblur
