// --max-pixels: a streamed run is guarded at gigapixels, a whole-image run at 268 megapixels,
// unless --max-pixels says otherwise; both are checked from the header before any pixel.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"
#include "crafted_files.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

class MaxPixels : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pblur_max_pixels_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "300mp.png", std::ios::binary) << testing::png_with_one_row(20000, 15000);
    std::ofstream(dir_ / "4.8gp.png", std::ios::binary) << testing::png_with_one_row(65000, 75000);
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
  testing::CommandResult run = pblur("4.8gp.png", {"--threads", "1"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "pblur: error: cannot read '" + (dir_ / "4.8gp.png").string() +
                         "': the image is 65000x75000 = 4875000000 pixels, more than --max-pixels "
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
