#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/image/image_origin.h"
#include "core/image/pixel_conversion.h"

namespace pblur {

inline constexpr std::uint64_t kDefaultMaxPixels = std::uint64_t{1} << 28;  // 268 megapixels

struct LoadOptions {
  std::uint64_t max_pixels = kDefaultMaxPixels;
  // Where the decoded pixels go (say, shared memory: SharedArena::mat_allocator()); nullptr for
  // OpenCV's default.
  cv::MatAllocator* allocator = nullptr;
};

struct SaveOptions {
  // JPEG and WebP, 1-100; unset: a JPEG input's own for a JPEG (see estimate_jpeg_quality),
  // else the format's default (JPEG 95, WebP kDefaultWebpQuality, 75).
  std::optional<int> quality;
  // A WebP compressed without loss; unset, a WebP is lossy unless its input was a lossless WebP
  // (see output_lossless).
  bool lossless = false;
  PixelConversion convert{};  // applied to the pixels before they are encoded
  MetadataKeep keep;
};

// Decodes an image with its channels (gray, BGR, BGRA) and depth (8 or 16 bits) as stored, a
// JPEG turned as its EXIF orientation says. Throws InputError naming the file and the reason:
// missing, a folder, unreadable, empty, longer than any image within `max_pixels` could be (see
// read_input_file), not an image, truncated or corrupt, more pixels or channels than pblur takes,
// or pixels other than 8 or 16 bits. Everything the header decides (see read_image_header) is
// checked before any pixel memory is committed. When `origin` is given, it receives what an
// output inherits from the file (empty for the formats left to OpenCV).
cv::Mat load_image(const std::filesystem::path& path, const LoadOptions& options = {},
                   ImageOrigin* origin = nullptr);

// Throws InputError naming `path` unless a width x height image is within `max_pixels`: the
// check load_image makes from a header, for readers that read the header themselves.
void check_pixel_budget(const std::filesystem::path& path, std::uint64_t width,
                        std::uint64_t height, std::uint64_t max_pixels);

// The InputError for a file whose pixels cannot be decoded: "the file is corrupt (REASON)".
[[noreturn]] void refuse_corrupt_input(const std::filesystem::path& path,
                                       const std::string& reason);
// Whether pblur writes files with this extension (".png", ".TIF"): through its own codecs, or
// OpenCV's (loaded for the question).
bool writes_format(const std::string& extension);

// Throws OutputError unless an image can be written at `path`: its folder exists, it is not a
// folder itself, and writes_format its extension.
void check_output_path(const std::filesystem::path& path);

// Throws OutputError if the format chosen by `path`'s extension cannot store an image of
// `image`'s channels and depth as they are (16 bits in a JPEG, say), once `conversion` is applied.
void check_output_can_hold(const std::filesystem::path& path, const cv::Mat& image,
                           const PixelConversion& conversion = {});

// The file's bytes in the format chosen by `path`'s extension, the pixels converted as
// options.convert says, with the metadata and quality `options` takes from `origin` (see
// output_metadata and output_quality). Throws OutputError.
std::vector<uchar> encode_image(const cv::Mat& image, const std::filesystem::path& path,
                                const SaveOptions& options = {}, const ImageOrigin& origin = {});

// Encodes and writes atomically (see write_file_atomically). Throws OutputError.
void save_image(const cv::Mat& image, const std::filesystem::path& path,
                const SaveOptions& options = {}, const ImageOrigin& origin = {});

// The quality an output at `path` is encoded with: the one given, else a JPEG input's for a
// JPEG output, else nullopt (the format's default: 95 for JPEG, 75 for WebP).
std::optional<int> output_quality(const std::filesystem::path& path, const SaveOptions& options,
                                  const ImageOrigin& origin);

// Whether a WebP output is compressed without loss: when `options` ask for it, or when the input
// was a lossless WebP and no quality is given.
bool output_lossless(const SaveOptions& options, const ImageOrigin& origin);

}  // namespace pblur
