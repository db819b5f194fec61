// Pillow's 3x3 and 5x5 kernels on random images of every width from 1 to 37 (the vector loops'
// tails and the frame), against live Pillow for 8 bits and Pillow's arithmetic written out
// plainly for 16 bits, which Pillow refuses.
#include "core/filters/pil_kernels.h"
#include "core/filters/pil_integer_kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <limits>
#include <optional>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "core/backends/sequential_backend.h"
#include "core/filters/filter_syntax.h"
#include "test_support.h"

namespace pblur {
namespace {

constexpr std::array<const char*, 15> kKernelFilters{
    "pil-blur",
    "pil-contour",
    "pil-detail",
    "pil-edge-enhance",
    "pil-edge-enhance-more",
    "pil-emboss",
    "pil-find-edges",
    "pil-sharpen",
    "pil-smooth",
    "pil-smooth-more",
    "pil-kernel:kernel=1 2 1 0 0 0 -1 -2 -1,scale=1,offset=128",
    "pil-kernel:size=5,kernel=1 0 0 0 0 0 2 0 0 0 0 0 3 0 0 0 0 0 2 0 0 0 0 0 1.5,scale=7.3",
    // Sums in integers up to the largest that int16 holds, and one just past it, in floats.
    "pil-kernel:kernel=7 -7 7 -7 8 -7 7 -7 7,scale=1,offset=-7",
    "pil-kernel:kernel=7 -7 7 -7 9 -7 7 -7 7,scale=1",
    "pil-kernel:size=5,kernel=1 0 2 0 1 0 3 0 3 0 2 0 -5 0 2 0 3 0 3 0 1 0 2 0 "
    "1,scale=64,offset=0.25",
};
constexpr std::array<int, 3> kChannels{1, 3, 4};

// Every width from 1 to 37 (1 to 12 rows: images shorter than the kernel, and rows enough for a
// frame and an inside), then one of many pixels, where rare roundings show.
constexpr int kWidestSmallImage = 37;
constexpr int kSizes = kWidestSmallImage + 1;
cv::Size size_of(int index) {
  if (index == kWidestSmallImage) return {257, 41};
  const int width = index + 1;
  return {width, 1 + width * 7 % 12};
}

// Compares each pair of the manifest's lines "FILTER\tINPUT\tCANDIDATE" with Pillow in one Python
// process; prints each mismatch and exits 1 if there was one.
constexpr const char* kCompareScript = R"(
import sys
sys.path.insert(0, sys.argv[1])
from PIL import Image
from pil_filter_reference import filtered
from pil_blur_reference import compare
mismatches = 0
for line in open(sys.argv[2]):
    name, source, candidate = line.rstrip("\n").split("\t")
    problem = compare(filtered(name, source), Image.open(candidate))
    if problem is not None:
        mismatches += 1
        print(f"{name} on {source}: {problem}")
sys.exit(1 if mismatches else 0)
)";

struct ScriptResult {
  int exit_code = -1;
  std::string out;
};

ScriptResult run_compare_script(const testing::TemporaryFolder& folder) {
  std::ofstream(folder / "compare.py") << kCompareScript;
  const std::string command = "/usr/bin/python3 '" + (folder / "compare.py").string() + "' '" +
                              PBLUR_SAMPLE_IMAGES "/../tools' '" + (folder / "manifest").string() +
                              "' 2>&1";
  ScriptResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) result.out += buffer;
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(PilKernels, EveryKernelMatchesLivePillowAtEveryWidth) {
  testing::TemporaryFolder folder;
  std::ofstream manifest(folder / "manifest");
  int case_number = 0;
  for (const char* filter : kKernelFilters) {
    for (const int channels : kChannels) {
      for (int index = 0; index < kSizes; ++index) {
        const cv::Size size = size_of(index);
        const cv::Mat input = testing::random_image(size.height, size.width, CV_8UC(channels),
                                                    std::uint64_t(case_number));
        const cv::Mat output = filter_sequential(input, parse_filter(filter)).image;
        const std::string name = std::to_string(case_number++);
        ASSERT_TRUE(cv::imwrite((folder / (name + "_in.png")).string(), input));
        ASSERT_TRUE(cv::imwrite((folder / (name + "_out.png")).string(), output));
        manifest << filter << '\t' << (folder / (name + "_in.png")).string() << '\t'
                 << (folder / (name + "_out.png")).string() << '\n';
      }
    }
  }
  manifest.close();
  const ScriptResult result = run_compare_script(folder);
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out, "");
}

TEST(PilKernels, SumsThatAreExactInFloatsRunInIntegers) {
  const std::optional<IntegerKernel> contour =
      integer_kernel_of(pil_kernel_of(parse_filter("pil-contour")));
  ASSERT_TRUE(contour.has_value());
  EXPECT_EQ(contour->shift, 1);  // the offset 255 + 0.5
  EXPECT_EQ(contour->offset, 511);
  EXPECT_EQ(contour->weights[4], 16);
  EXPECT_EQ(contour->weights[0], -2);
  const std::optional<IntegerKernel> sharpen =
      integer_kernel_of(pil_kernel_of(parse_filter("pil-sharpen")));
  ASSERT_TRUE(sharpen.has_value());
  EXPECT_EQ(sharpen->shift, 3);  // -2 / 16 = -1 / 8
  EXPECT_EQ(sharpen->weights[4], 16);
  EXPECT_FALSE(integer_kernel_of(pil_kernel_of(parse_filter("pil-smooth"))).has_value());
  EXPECT_FALSE(integer_kernel_of(pil_kernel_of(parse_filter(kKernelFilters[11]))).has_value());
  EXPECT_TRUE(integer_kernel_of(pil_kernel_of(parse_filter(kKernelFilters[12]))).has_value());
  EXPECT_FALSE(integer_kernel_of(pil_kernel_of(parse_filter(kKernelFilters[13]))).has_value());
  EXPECT_TRUE(integer_kernel_of(pil_kernel_of(parse_filter(kKernelFilters[14]))).has_value());
}

// Pillow's ImagingFilter3x3 / 5x5 for any depth, one value at a time: the frame copied, the sums
// from offset + 0.5 over the kernel's rows bottom up, each row left to right, clamped, truncated.
// (This file is built without -ffp-contract=off; x86-64's baseline has no fused multiply-add.)
template <typename T>
cv::Mat pillow_arithmetic(const cv::Mat& image, const PilKernel& kernel) {
  cv::Mat out = image.clone();
  const int size = kernel.size;
  const int half = size / 2;
  const int channels = image.channels();
  constexpr float top = float(std::numeric_limits<T>::max());
  for (int y = half; y < image.rows - half && image.cols >= size; ++y) {
    for (int x = half * channels; x < (image.cols - half) * channels; ++x) {
      float sum = kernel.offset;
      for (int r = 0; r < size; ++r) {
        const T* row = image.ptr<T>(y + half - r) + x - half * channels;
        float line = float(row[0]) * kernel.weights[r * size];
        for (int j = 1; j < size; ++j)
          line += float(row[j * channels]) * kernel.weights[r * size + j];
        sum += line;
      }
      out.ptr<T>(y)[x] = T(std::min(std::max(sum, 0.0f), top));
    }
  }
  return out;
}

void expect_pillow_arithmetic_at_every_width(int depth) {
  int seed = 0;
  for (const char* filter : kKernelFilters) {
    const FilterSpec spec = parse_filter(filter);
    for (const int channels : kChannels) {
      for (int index = 0; index < kSizes; ++index) {
        const cv::Size size = size_of(index);
        const cv::Mat input = testing::random_image(
            size.height, size.width, CV_MAKETYPE(depth, channels), std::uint64_t(seed++));
        const cv::Mat expected = depth == CV_8U
                                     ? pillow_arithmetic<uchar>(input, pil_kernel_of(spec))
                                     : pillow_arithmetic<ushort>(input, pil_kernel_of(spec));
        EXPECT_TRUE(testing::identical(filter_sequential(input, spec).image, expected))
            << filter << ", " << channels << " channels, " << size;
      }
    }
  }
}

TEST(PilKernels, SixteenBitsFollowPillowsArithmeticAtEveryWidth) {
  expect_pillow_arithmetic_at_every_width(CV_16U);
}

// The plain reference agrees with the vector code where live Pillow checks the latter.
TEST(PilKernels, EightBitsFollowPillowsArithmeticAtEveryWidth) {
  expect_pillow_arithmetic_at_every_width(CV_8U);
}

}  // namespace
}  // namespace pblur
