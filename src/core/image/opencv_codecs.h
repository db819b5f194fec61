#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace pblur::opencv_codecs {

// OpenCV's imgcodecs, for the formats pblur's own codecs leave to it (BMP, JPEG 2000, OpenEXR,
// ...). imgcodecs brings GDAL and about 140 libraries with it, so pblur does not link it: the
// module pblur_opencv_codecs wraps it and is opened (dlopen) on the first call here, and a run
// that meets no such format never maps it. OpenCV's logger is silenced when it is opened, so a
// decoder's complaint reaches the caller as a failure, never as a print.
//
// Each function throws CodecError if the module cannot be loaded, saying why.

// cv::imdecode(bytes, flags) into memory from `allocator` (OpenCV's own if null); an empty Mat
// if OpenCV cannot decode it.
cv::Mat decode(std::span<const std::byte> bytes, int flags, cv::MatAllocator* allocator);

// cv::imencode(extension, image, parameters); nullopt if OpenCV cannot encode it.
std::optional<std::vector<uchar>> encode(const std::string& extension, const cv::Mat& image,
                                         const std::vector<int>& parameters);

// cv::haveImageWriter for a file with this extension (".bmp").
bool has_writer(const std::string& extension);

}  // namespace pblur::opencv_codecs
