// A JPEG whose scan is cut short or damaged is refused by pblur in every backend and in batch:
// exit 3 (5 in batch) with libjpeg's reason, and no output file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "codec_test_support.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Bytes = std::vector<std::byte>;
namespace fs = std::filesystem;

constexpr int kBadInput = 3, kSomeImagesFailed = 5;

struct CorruptJpeg {
  std::string name;
  std::string reason;
  Bytes bytes;
};

std::vector<CorruptJpeg> corrupt_jpegs() {
  Bytes cut = testing::read_file(testing::sample_image("fruits.jpg"));
  Bytes flipped = cut;
  cut.resize(cut.size() / 3);
  cut.push_back(std::byte{0xFF});
  cut.push_back(std::byte{0xD9});
  for (std::size_t at = flipped.size() / 2; at < flipped.size() / 2 + 40; at += 8) {
    flipped[at] ^= std::byte{0x24};
  }
  return {{"cut.jpg", "Corrupt JPEG data: premature end of data segment", cut},
          {"flipped.jpg", "Corrupt JPEG data", flipped}};
}

TEST(JpegCli, ACorruptJpegFailsInEveryBackendWithItsReasonAndNoOutput) {
  testing::TemporaryFolder folder;
  const std::vector<std::vector<std::string>> backends = {
      {"--seq"}, {"--threads", "2"}, {"--procs", "2"}, {"--procs", "2", "--transport", "copy"}};
  for (const CorruptJpeg& jpeg : corrupt_jpegs()) {
    const fs::path input = folder / jpeg.name;
    testing::write_file(input, jpeg.bytes);
    for (const auto& backend : backends) {
      SCOPED_TRACE(jpeg.name + " " + backend[0]);
      std::vector<std::string> arguments = {input.string(), (folder / "out.png").string()};
      arguments.insert(arguments.end(), backend.begin(), backend.end());
      const auto result = testing::run_pblur(arguments);
      EXPECT_EQ(result.exit_code, kBadInput);
      EXPECT_THAT(result.err, StartsWith("pblur: error: cannot read '" + input.string() +
                                         "': the file is corrupt (" + jpeg.reason));
      EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
      EXPECT_FALSE(fs::exists(folder / "out.png"));
    }
  }
}

TEST(JpegCli, ABatchReportsEachCorruptJpegAndDoesTheRest) {
  testing::TemporaryFolder folder;
  fs::create_directory(folder / "in");
  for (const CorruptJpeg& jpeg : corrupt_jpegs())
    testing::write_file(folder / "in" / jpeg.name, jpeg.bytes);
  fs::copy_file(testing::sample_image("home.jpg"), folder / "in/home.jpg");
  const std::vector<std::vector<std::string>> ways = {{"--procs", "2", "--split", "images"},
                                                      {"--procs", "2", "--split", "strips"},
                                                      {"--threads", "2", "--split", "images"},
                                                      {"--seq"}};
  for (const auto& way : ways) {
    SCOPED_TRACE(way[0] + " " + way.back());
    fs::remove_all(folder / "out");
    std::vector<std::string> arguments = {"batch", (folder / "in").string(),
                                          (folder / "out").string()};
    arguments.insert(arguments.end(), way.begin(), way.end());
    const auto result = testing::run_pblur(arguments);
    EXPECT_EQ(result.exit_code, kSomeImagesFailed);
    for (const CorruptJpeg& jpeg : corrupt_jpegs()) {
      EXPECT_THAT(result.err, HasSubstr(jpeg.name + "': the file is corrupt (" + jpeg.reason));
    }
    std::vector<std::string> outputs;
    for (const auto& entry : fs::directory_iterator(folder / "out"))
      outputs.push_back(entry.path().filename().string());
    EXPECT_EQ(outputs, std::vector<std::string>{"home.jpg"});
  }
}

}  // namespace
}  // namespace pblur
