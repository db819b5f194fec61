#include "core/image/opencv_codecs.h"

#include <dlfcn.h>

#include <filesystem>

#include <opencv2/core/utils/logger.hpp>

#include "core/image/row_codec.h"

namespace pblur::opencv_codecs {
namespace {

namespace fs = std::filesystem;

using DecodeFunction = bool (*)(const uchar*, std::size_t, int, cv::Mat*);
using EncodeFunction = bool (*)(const char*, const cv::Mat*, const int*, std::size_t,
                                std::vector<uchar>*);
using HasWriterFunction = bool (*)(const char*);

constexpr const char* kModuleName = "libpblur_opencv_codecs.so";

// Where the module may be: lib/pblur/ beside the folder of the running binary (bin/pblur and
// lib/pblur/ once installed; src/pblur and lib/pblur/ in the build folder), then where the build
// put it, for binaries that live elsewhere in the build folder (the tests).
std::vector<fs::path> module_candidates() {
  std::vector<fs::path> candidates;
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (!error) candidates.push_back(binary.parent_path() / ".." / "lib" / "pblur" / kModuleName);
  candidates.emplace_back(PBLUR_OPENCV_CODECS_BUILD_PATH);
  return candidates;
}

struct Module {
  DecodeFunction decode = nullptr;
  EncodeFunction encode = nullptr;
  HasWriterFunction has_writer = nullptr;
};

template <typename Function>
Function symbol(void* handle, const char* name) {
  auto* function = reinterpret_cast<Function>(dlsym(handle, name));
  if (!function) throw CodecError(std::string("OpenCV's image codecs module lacks ") + name);
  return function;
}

// Opens the module (never closed: OpenCV's codecs keep global state); throws CodecError.
Module open_module() {
  std::string reasons;
  for (const fs::path& candidate : module_candidates()) {
    void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      reasons += std::string(reasons.empty() ? "" : "; ") + dlerror();
      continue;
    }
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    return {symbol<DecodeFunction>(handle, "pblur_opencv_decode"),
            symbol<EncodeFunction>(handle, "pblur_opencv_encode"),
            symbol<HasWriterFunction>(handle, "pblur_opencv_has_writer")};
  }
  throw CodecError("OpenCV's image codecs could not be loaded (" + reasons + ")");
}

const Module& module() {
  static const Module loaded = open_module();  // once, even with threads; retried if it threw
  return loaded;
}

}  // namespace

cv::Mat decode(std::span<const std::byte> bytes, int flags, cv::MatAllocator* allocator) {
  cv::Mat image;
  image.allocator = allocator;
  if (!module().decode(reinterpret_cast<const uchar*>(bytes.data()), bytes.size(), flags, &image)) {
    return cv::Mat();
  }
  return image;
}

std::optional<std::vector<uchar>> encode(const std::string& extension, const cv::Mat& image,
                                         const std::vector<int>& parameters) {
  std::vector<uchar> bytes;
  if (!module().encode(extension.c_str(), &image, parameters.data(), parameters.size(), &bytes)) {
    return std::nullopt;
  }
  return bytes;
}

bool has_writer(const std::string& extension) {
  return module().has_writer(extension.c_str());
}

}  // namespace pblur::opencv_codecs
