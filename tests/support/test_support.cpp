#include "test_support.h"

#include <stdlib.h>

#include <algorithm>

#include <gtest/gtest.h>

namespace pblur::testing {
namespace {

ProcessRuntime* g_runtime = nullptr;

}  // namespace

ProcessRuntime& runtime() {
  return *g_runtime;
}
void set_runtime(ProcessRuntime* runtime) {
  g_runtime = runtime;
}

cv::Mat random_image(int rows, int cols, int type, std::uint64_t seed) {
  cv::Mat image(rows, cols, type);
  cv::RNG rng(seed);
  const double top = CV_MAT_DEPTH(type) == CV_16U ? 65536.0 : 256.0;
  rng.fill(image, cv::RNG::UNIFORM, 0.0, top);
  return image;
}

bool identical(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  for (int y = 0; y < a.rows; ++y) {
    if (std::memcmp(a.ptr(y), b.ptr(y), a.cols * a.elemSize()) != 0) return false;
  }
  return true;
}

std::filesystem::path test_data(const std::string& name) {
  return std::filesystem::path(PBLUR_TEST_DATA) / name;
}

std::filesystem::path sample_image(const std::string& name) {
  return std::filesystem::path(PBLUR_SAMPLE_IMAGES) / name;
}

TemporaryFolder::TemporaryFolder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "pblur-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TemporaryFolder::~TemporaryFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::vector<std::string> TemporaryFolder::entries() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(path_)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace pblur::testing
