#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace pblur {

// The most bytes pblur reads for an image of `pixels` pixels: 32 a pixel (the densest encodings
// OpenCV reads: 64-bit float BGRA TIFF, ASCII PNM) plus 64 MiB of metadata.
std::uint64_t largest_file_for(std::uint64_t pixels);

// An input file's bytes, from a regular file or a stream (a pipe, a FIFO, /dev/stdin). Reading
// stops early where the first bytes already decide the file's fate: they are no image format,
// or their header claims more than `max_pixels`; the bytes read so far are returned and
// load_image refuses them. Throws InputError naming the file: missing, a folder, unreadable,
// empty, or longer than largest_file_for(max_pixels), or than largest_file_for(its header's
// pixels) once the header has been read.
std::vector<std::byte> read_input_file(const std::filesystem::path& path, std::uint64_t max_pixels);

}  // namespace pblur
