#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/ipc/process_runtime.h"

namespace pblur::testing {

// AddressSanitizer must be the first library a process loads and reserves terabytes of address
// space, so tests that preload a shim into pblur or cap its address space or descriptors skip
// under it; the default build runs them.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderAddressSanitizer = true;
#else
inline constexpr bool kUnderAddressSanitizer = false;
#endif

// The runtime that the test program created first thing, before any thread.
ProcessRuntime& runtime();
void set_runtime(ProcessRuntime* runtime);

// Random pixels from a fixed seed: noise leaves no error unseen.
cv::Mat random_image(int rows, int cols, int type, std::uint64_t seed = 1);

// True if both have the same size, type and bytes.
bool identical(const cv::Mat& a, const cv::Mat& b);

std::filesystem::path test_data(const std::string& name);
std::filesystem::path sample_image(const std::string& name);

// A fresh empty folder, removed with this object.
class TemporaryFolder {
 public:
  TemporaryFolder();
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  std::vector<std::string> entries() const;  // names in the folder, hidden ones included, sorted

 private:
  std::filesystem::path path_;
};

}  // namespace pblur::testing
