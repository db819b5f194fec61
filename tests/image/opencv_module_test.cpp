// OpenCV's imgcodecs (and GDAL with it) is mapped only when pblur meets a format its own codecs
// leave to OpenCV. The dynamic loader's LD_DEBUG=files trace lists every library a run maps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

testing::CommandResult run_traced(const std::vector<std::string>& arguments) {
  testing::Launch launch;
  launch.environment = {"LD_DEBUG=files"};
  return testing::run_pblur(arguments, launch);
}

TEST(OpenCvModule, AJpegRunAndVersionMapNeitherImgcodecsNorGdal) {
  testing::TemporaryFolder folder;
  const fs::path output = folder / "out.jpg";
  for (const auto& arguments : std::vector<std::vector<std::string>>{
           {testing::sample_image("fruits.jpg").string(), output.string(), "--procs", "2"},
           {"--version"}}) {
    SCOPED_TRACE(arguments[0]);
    const auto result = run_traced(arguments);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.err, HasSubstr("libopencv_core"));  // the trace is there
    EXPECT_THAT(result.err, Not(HasSubstr("libpblur_opencv_codecs")));
    EXPECT_THAT(result.err, Not(HasSubstr("libopencv_imgcodecs")));
    EXPECT_THAT(result.err, Not(HasSubstr("libgdal")));
  }
  EXPECT_TRUE(fs::exists(output));
}

TEST(OpenCvModule, ABmpRunLoadsItAndWritesTheBmp) {
  testing::TemporaryFolder folder;
  const cv::Mat image = testing::random_image(23, 31, CV_8UC3);
  const fs::path input = folder / "in.bmp", output = folder / "out.bmp";
  ASSERT_TRUE(cv::imwrite(input.string(), image));
  const auto result = run_traced({input.string(), output.string(), "--seq"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("libpblur_opencv_codecs"));
  EXPECT_THAT(result.err, HasSubstr("libopencv_imgcodecs"));
  const cv::Mat written = cv::imread(output.string(), cv::IMREAD_UNCHANGED);
  EXPECT_EQ(written.size(), image.size());
  EXPECT_EQ(written.type(), image.type());
}

}  // namespace
}  // namespace pblur
