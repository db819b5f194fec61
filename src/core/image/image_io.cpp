#include "core/image/image_io.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <opencv2/imgcodecs.hpp>  // the IMREAD_ and IMWRITE_ constants alone

#include "core/base/errors.h"
#include "core/image/image_header.h"
#include "core/image/input_file.h"
#include "core/image/memory_file.h"
#include "core/image/opencv_codecs.h"
#include "core/image/row_codecs.h"
#include "core/image/whole_image.h"
#include "core/os/atomic_output.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void refuse_input(const fs::path& path, const std::string& reason) {
  throw InputError("cannot read '" + path.string() + "': " + reason);
}

[[noreturn]] void refuse_output(const fs::path& path, const std::string& reason) {
  throw OutputError("cannot write '" + path.string() + "': " + reason);
}

void check_pixel_count(const fs::path& path, const ImageHeader& header, std::uint64_t max_pixels) {
  check_pixel_budget(path, header.width, header.height, max_pixels);
}

// What OpenCV decodes these formats to, which pblur does not filter; nullopt for the others.
std::optional<std::string> unfilterable_pixels(ImageFormat format) {
  if (format == ImageFormat::pfm || format == ImageFormat::hdr) return "32-bit float";
  if (format == ImageFormat::exr) return "32-bit float or integer";
  return std::nullopt;
}

// Everything the header decides, before any pixel memory is committed.
void check_header(const fs::path& path, const ImageHeader& header, std::span<const std::byte> file,
                  std::uint64_t max_pixels) {
  const std::string format(format_name(header.format));
  if (header.format == ImageFormat::unknown) refuse_input(path, "not an image pblur can read");
  if (header.format == ImageFormat::dicom) {
    refuse_input(path, "pblur does not read DICOM files (their size cannot be checked first)");
  }
  check_pixel_count(path, header, max_pixels);
  if (const auto truncation = find_truncation(header, file))
    refuse_input(path, std::string(*truncation));
  if (header.width == 0) {
    refuse_input(path, "the file is corrupt (its " + format + " header gives no valid size)");
  }
  if (header.channels > 4) {
    refuse_input(path, "pblur filters gray, RGB and RGBA images; this one has " +
                           std::to_string(header.channels) + " channels");
  }
  if (const auto pixels = unfilterable_pixels(header.format)) {
    refuse_input(path, "pblur filters 8-bit and 16-bit images; " + format + " images hold " +
                           *pixels + " pixels");
  }
}

int read_flags(const ImageHeader& header) {
  // IMREAD_UNCHANGED keeps alpha but ignores EXIF orientation; a JPEG has no alpha, so it is
  // read with flags that keep its channels and depth and apply the orientation.
  if (header.format == ImageFormat::jpeg) return cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH;
  return header.color_read_as_gray ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
}

bool size_agrees(const ImageHeader& header, const cv::Mat& image) {
  const auto cols = std::uint64_t(image.cols), rows = std::uint64_t(image.rows);
  return (cols == header.width && rows == header.height) ||
         (header.format == ImageFormat::jpeg && cols == header.height && rows == header.width);
}

// A format pblur's codecs leave to OpenCV, through the module that is loaded for it.
cv::Mat decode_with_opencv(const fs::path& path, std::span<const std::byte> bytes, int flags,
                           cv::MatAllocator* allocator) {
  try {
    return opencv_codecs::decode(bytes, flags, allocator);
  } catch (const CodecError& error) {
    refuse_input(path, error.what());
  }
}

// JPEG, PNG, PNM and most TIFFs through pblur's row readers: OpenCV's pixels, with every
// decoder warning an error. nullopt for a file they leave to OpenCV.
std::optional<cv::Mat> decode_with_row_reader(const fs::path& path,
                                              std::span<const std::byte> bytes,
                                              const LoadOptions& options, ImageOrigin* origin) {
  try {
    // The header was checked against the pixel budget before the reader allocates anything.
    const std::unique_ptr<RowReader> reader = open_row_reader(bytes);
    if (!reader) return std::nullopt;
    if (origin) *origin = origin_of(*reader, path.string());
    return read_whole_image(*reader, options.allocator);
  } catch (const CodecError& error) {
    refuse_corrupt_input(path, error.what());
  }
}

std::string depth_name(int depth) {
  switch (depth) {
    case CV_8U:
      return "8-bit";
    case CV_16U:
      return "16-bit";
    case CV_8S:
      return "signed 8-bit";
    case CV_16S:
      return "signed 16-bit";
    case CV_32S:
      return "32-bit integer";
    case CV_32F:
      return "32-bit float";
    case CV_64F:
      return "64-bit float";
  }
  return "unknown-depth";
}

std::string channels_name(int channels) {
  switch (channels) {
    case 1:
      return "gray";
    case 3:
      return "RGB";  // OpenCV's BGR: users name the image, not the byte order
    case 4:
      return "RGBA";
  }
  return std::to_string(channels) + "-channel";
}

std::string lower_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// The extension OpenCV's encoders know the format by: a ".pxm" (any of PBM, PGM, PPM, as OpenCV
// reads it) is written as PNM picks for the image's channels.
std::string encoder_extension(const fs::path& path) {
  const std::string extension = lower_extension(path);
  return extension == ".pxm" ? ".pnm" : extension;
}

bool is_jpeg(const fs::path& path) {
  const std::string extension = lower_extension(path);
  return extension == ".jpg" || extension == ".jpeg" || extension == ".jpe";
}

// The writer pblur encodes `layout` with for `path`'s format, on `file`; nullptr for a format
// left to OpenCV. Throws CodecError if the format cannot hold the layout.
std::unique_ptr<RowWriter> open_writer(std::FILE* file, const fs::path& path,
                                       const RowLayout& layout, const SaveOptions& options = {},
                                       const ImageOrigin& origin = {}) {
  const RowWriteOptions row{output_quality(path, options, origin), std::nullopt,
                            output_lossless(options, origin)};
  return open_row_writer(file, encoder_extension(path), layout, row,
                         output_metadata(origin, options.keep, layout.width, layout.height));
}

std::vector<int> encode_parameters(const fs::path& path, const SaveOptions& options,
                                   const ImageOrigin& origin) {
  const std::optional<int> quality = output_quality(path, options, origin);
  if (!quality) return {};
  if (is_jpeg(path)) return {cv::IMWRITE_JPEG_QUALITY, *quality};
  return {};
}

// pblur's own writer's bytes for `image` (OpenCV's, see open_row_writer); nullopt for a format
// left to OpenCV.
std::optional<std::vector<uchar>> encode_with_row_writer(const cv::Mat& image, const fs::path& path,
                                                         const SaveOptions& options,
                                                         const ImageOrigin& origin) {
  try {
    MemoryFile file;
    const std::unique_ptr<RowWriter> writer =
        open_writer(file.get(), path, layout_of(image), options, origin);
    if (!writer) return std::nullopt;
    write_whole_image(*writer, image);
    return file.bytes();
  } catch (const CodecError& error) {
    refuse_output(path, std::string("the image cannot be encoded (") + error.what() + ")");
  }
}

// The type `probe` has once written by pblur's own writer for `path`'s format and read back
// (-1 if the writer refuses it); nullopt for a format left to OpenCV.
std::optional<int> round_trip_with_row_codecs(const cv::Mat& probe, const fs::path& path) {
  try {
    MemoryFile file;
    const std::unique_ptr<RowWriter> writer = open_writer(file.get(), path, layout_of(probe));
    if (!writer) return std::nullopt;
    write_whole_image(*writer, probe);
    const std::vector<uchar> bytes = file.bytes();
    const std::unique_ptr<RowReader> reader = open_row_reader(std::as_bytes(std::span(bytes)));
    return reader ? reader->layout().cv_type() : -1;
  } catch (const CodecError&) {
    return -1;
  }
}

// The type `probe` has once encoded by OpenCV for `path`'s format and decoded as load_image
// would (-1 if it cannot be).
int round_trip_with_opencv(const cv::Mat& probe, const fs::path& path) {
  try {
    const auto bytes = opencv_codecs::encode(encoder_extension(path), probe, {});
    if (!bytes) return -1;
    const auto file = std::as_bytes(std::span(*bytes));
    const cv::Mat back = opencv_codecs::decode(file, read_flags(read_image_header(file)), nullptr);
    return back.empty() ? -1 : back.type();
  } catch (const CodecError& error) {
    refuse_output(path, error.what());
  }
}

}  // namespace

void check_pixel_budget(const fs::path& path, std::uint64_t width, std::uint64_t height,
                        std::uint64_t max_pixels) {
  ImageHeader header;
  header.width = width;
  header.height = height;
  const std::uint64_t pixels = pixel_count(header);
  if (pixels > max_pixels) {
    refuse_input(path, "the image is " + std::to_string(width) + "x" + std::to_string(height) +
                           " = " + std::to_string(pixels) + " pixels, more than the pixel limit " +
                           std::to_string(max_pixels));
  }
}

void refuse_corrupt_input(const fs::path& path, const std::string& reason) {
  refuse_input(path, "the file is corrupt (" + reason + ")");
}

cv::Mat load_image(const fs::path& path, const LoadOptions& options, ImageOrigin* origin) {
  const std::vector<std::byte> bytes = read_input_file(path, options.max_pixels);
  const ImageHeader header = read_image_header(bytes);
  check_header(path, header, bytes, options.max_pixels);
  std::optional<cv::Mat> decoded = decode_with_row_reader(path, bytes, options, origin);
  cv::Mat image = decoded ? std::move(*decoded)
                          : decode_with_opencv(path, bytes, read_flags(header), options.allocator);
  if (image.empty()) {
    refuse_input(path, "the file is corrupt (the " + std::string(format_name(header.format)) +
                           " decoder failed)");
  }
  if (!size_agrees(header, image))
    refuse_input(path, "the file is corrupt (its size disagrees with its header)");
  if (image.depth() != CV_8U && image.depth() != CV_16U) {
    refuse_input(path,
                 "pblur filters 8-bit and 16-bit images; this one is " + depth_name(image.depth()));
  }
  if (image.channels() != 1 && image.channels() != 3 && image.channels() != 4) {
    refuse_input(path, "pblur filters gray, RGB and RGBA images; this one has " +
                           std::to_string(image.channels()) + " channels");
  }
  return image;
}

bool writes_format(const std::string& extension) {
  const std::string encoder = encoder_extension("x" + extension);
  if (has_row_writer(encoder)) return true;
  try {
    return opencv_codecs::has_writer(encoder);
  } catch (const CodecError&) {
    return false;
  }
}

void check_output_path(const fs::path& path) {
  if (path.extension().empty()) {
    refuse_output(path, "no file extension to choose the format by (use .png, .jpg, .tif, ...)");
  }
  if (!writes_format(path.extension().string())) {
    refuse_output(path, "unknown output format '" + path.extension().string() + "'");
  }
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    refuse_output(path, "the folder '" + folder.string() + "' does not exist");
  }
  if (fs::is_directory(path, error)) refuse_output(path, "it is a folder");
}

// What a refusal suggests: other formats, and the conversions that would change the image.
std::string conversions_to_try(const cv::Mat& image) {
  std::string options;
  if (image.depth() == CV_16U) options = "converting to 8 bits";
  if (image.channels() == 4)
    options += std::string(options.empty() ? "" : " and ") + "flattening the alpha";
  return options.empty() ? "try .png or .tif" : "try .png or .tif, or " + options;
}

void check_output_can_hold(const fs::path& path, const cv::Mat& image,
                           const PixelConversion& conversion) {
  const cv::Mat held = convert_pixels(cv::Mat(1, 1, image.type()), conversion);
  // Round-trips a small image of the same type: whatever the format's encoder would change
  // (depth, channels) shows up here. 64 x 64: OpenJPEG's default six resolution levels need at
  // least 32 pixels a side.
  constexpr int kProbeSide = 64;
  const cv::Mat probe(kProbeSide, kProbeSide, held.type(), cv::Scalar::all(1));
  const std::optional<int> back = round_trip_with_row_codecs(probe, path);
  if ((back ? *back : round_trip_with_opencv(probe, path)) != probe.type()) {
    refuse_output(path, "the " + path.extension().string() + " format cannot store " +
                            (held.depth() == CV_8U ? "an " : "a ") + depth_name(held.depth()) +
                            " " + channels_name(held.channels()) + " image as it is (" +
                            conversions_to_try(held) + ")");
  }
}

std::optional<int> output_quality(const fs::path& path, const SaveOptions& options,
                                  const ImageOrigin& origin) {
  if (options.quality) return options.quality;
  if (is_jpeg(path)) return origin.jpeg_quality;
  return std::nullopt;
}

bool output_lossless(const SaveOptions& options, const ImageOrigin& origin) {
  return options.lossless || (!options.quality && origin.webp_lossless);
}

std::vector<uchar> encode_image(const cv::Mat& filtered, const fs::path& path,
                                const SaveOptions& options, const ImageOrigin& origin) {
  const cv::Mat image = convert_pixels(filtered, options.convert);
  if (auto bytes = encode_with_row_writer(image, path, options, origin)) return std::move(*bytes);
  std::optional<std::vector<uchar>> bytes;
  try {
    bytes = opencv_codecs::encode(encoder_extension(path), image,
                                  encode_parameters(path, options, origin));
  } catch (const CodecError& error) {
    refuse_output(path, error.what());
  }
  if (!bytes) refuse_output(path, "OpenCV could not encode the image in this format");
  return std::move(*bytes);
}

void save_image(const cv::Mat& image, const fs::path& path, const SaveOptions& options,
                const ImageOrigin& origin) {
  const std::vector<uchar> bytes = encode_image(image, path, options, origin);
  write_file_atomically(path, std::as_bytes(std::span(bytes)));
}

}  // namespace pblur
