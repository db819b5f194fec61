#pragma once

#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/image/memory_file.h"
#include "core/image/row_codec.h"

namespace pblur::testing {

std::vector<std::byte> read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::span<const std::byte> bytes);

// What cv::imread gives pblur for a JPEG: channels and depth kept, EXIF orientation applied.
cv::Mat opencv_read_jpeg(const std::filesystem::path& path);

// A photo-like picture: part of a sample image, tiled to any size.
cv::Mat photo(int rows, int cols, int type = CV_8UC3);

// Every row read in chunks of `chunk` rows into one image, without turning it.
cv::Mat read_in_chunks(RowReader& reader, int chunk);

using pblur::MemoryFile;

}  // namespace pblur::testing
