#pragma once

#include <cstddef>
#include <span>

#include <opencv2/core.hpp>

namespace pblur {

// The orientation OpenCV 4.6's imread finds in an APP1 payload (the bytes after the marker's
// length, "Exif\0\0" included), quirks and all: it skips 6 bytes unchecked, reads IFD0 entry by
// entry, keeps the first orientation tag, and stops at the first entry whose value lies outside
// the payload. 1 when there is none; values other than 1-8 are returned as found (and ignored
// by apply_exif_orientation, as imread ignores them).
int opencv_exif_orientation(std::span<const std::byte> app1_payload);

// Turns `image` as imread does for `orientation`; the result is allocated with `image`'s
// allocator.
void apply_exif_orientation(cv::Mat& image, int orientation);

}  // namespace pblur
