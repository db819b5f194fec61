#pragma once

#include <opencv2/core.hpp>

#include "core/image/row_codec.h"

namespace pblur {

// The layout of `image`'s rows; throws CodecError unless it is 8- or 16-bit gray, BGR or BGRA.
RowLayout layout_of(const cv::Mat& image);

// Reads every remaining row into a new image (allocated by `allocator`, OpenCV's own if null)
// and turns it as the reader's EXIF orientation says, as imread does. Throws CodecError.
cv::Mat read_whole_image(RowReader& reader, cv::MatAllocator* allocator = nullptr);

// Writes every row of `image`, whose layout must be the writer's, and finishes the file.
void write_whole_image(RowWriter& writer, const cv::Mat& image);

}  // namespace pblur
