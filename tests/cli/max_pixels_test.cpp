// --max-pixels: a streamed run is guarded at gigapixels, a whole-image run at 268 megapixels,
// unless --max-pixels says otherwise; both are checked from the header before any pixel.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

void put_be(std::string& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes += char((value >> shift) & 0xff);
}

std::uint32_t crc32(const std::string& bytes) {
  std::uint32_t crc = 0xffffffffu;
  for (const char c : bytes) {
    crc ^= std::uint8_t(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put_chunk(std::string& png, const std::string& type_and_data) {
  put_be(png, std::uint32_t(type_and_data.size() - 4));
  png += type_and_data;
  put_be(png, crc32(type_and_data));
}

// A gray PNG whose header says width x height and whose data holds only its first row (a
// deflate stored block): it streams until the data ends.
std::string png_with_one_row(std::uint32_t width, std::uint32_t height) {
  std::string header = "IHDR";
  put_be(header, width);
  put_be(header, height);
  header += std::string("\x08\x00\x00\x00\x00", 5);
  const std::string row = std::string(1, '\0') + std::string(width, '\x80');
  std::string data = "IDAT\x78\x01\x01";
  const auto length = std::uint16_t(row.size());
  data += char(length & 0xff);
  data += char(length >> 8);
  data += char(~length & 0xff);
  data += char((~length >> 8) & 0xff);
  data += row;
  std::uint32_t a = 1, b = 0;
  for (const char c : row) {
    a = (a + std::uint8_t(c)) % 65521;
    b = (b + a) % 65521;
  }
  put_be(data, (b << 16) | a);
  std::string png = "\x89PNG\r\n\x1a\n";
  put_chunk(png, header);
  put_chunk(png, data);
  return png;
}

class MaxPixels : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pblur_max_pixels_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "300mp.png", std::ios::binary) << png_with_one_row(20000, 15000);
    std::ofstream(dir_ / "4.9gp.png", std::ios::binary) << png_with_one_row(70000, 70000);
  }
  void TearDown() override { fs::remove_all(dir_); }

  testing::CommandResult pblur(const std::string& input, std::vector<std::string> options) {
    std::vector<std::string> arguments = {(dir_ / input).string(), (dir_ / "out.png").string()};
    arguments.insert(arguments.end(), options.begin(), options.end());
    return testing::run_pblur(arguments);
  }

  fs::path dir_;
};

TEST_F(MaxPixels, AStreamedRunTakesMoreThanAWholeImageRunByDefault) {
  testing::CommandResult run = pblur("300mp.png", {"--procs", "1"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "pblur: error: cannot read '" + (dir_ / "300mp.png").string() +
                         "': the file is corrupt (Read Error)\n");
  run = pblur("300mp.png", {"--seq"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "pblur: error: cannot read '" + (dir_ / "300mp.png").string() +
                         "': the image is 20000x15000 = 300000000 pixels, more than --max-pixels "
                         "268435456\n");
  EXPECT_FALSE(fs::exists(dir_ / "out.png"));
}

TEST_F(MaxPixels, AStreamedRunRefusesMoreThanItsDefaultOrTheOptionFromTheHeader) {
  testing::CommandResult run = pblur("4.9gp.png", {"--threads", "1"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "pblur: error: cannot read '" + (dir_ / "4.9gp.png").string() +
                         "': the image is 70000x70000 = 4900000000 pixels, more than --max-pixels "
                         "4294967296\n");
  run = pblur("300mp.png", {"--procs", "1", "--max-pixels", "1000000"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "pblur: error: cannot read '" + (dir_ / "300mp.png").string() +
                         "': the image is 20000x15000 = 300000000 pixels, more than --max-pixels "
                         "1000000\n");
  EXPECT_FALSE(fs::exists(dir_ / "out.png"));
}

}  // namespace
}  // namespace pblur
