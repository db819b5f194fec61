#include "core/image/row_codecs.h"

#include <sys/types.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <span>

#include "core/image/jpeg_reader.h"
#include "core/image/jpeg_writer.h"
#include "core/image/png_reader.h"
#include "core/image/png_writer.h"
#include "core/image/pnm_reader.h"
#include "core/image/pnm_writer.h"
#include "core/image/tiff_reader.h"
#include "core/image/tiff_writer.h"
#include "core/image/webp_reader.h"
#include "core/image/webp_writer.h"

namespace pblur {

namespace {

// Enough of a file's first bytes to tell its format: "RIFF", a size and "WEBP" for a WebP.
constexpr std::size_t kSignatureSize = 12;

enum class Format { jpeg, png, pnm, tiff, webp, other };

Format format_of_signature(std::span<const std::byte> signature) {
  const auto starts = [&signature](std::string_view prefix) {
    return signature.size() >= prefix.size() &&
           std::memcmp(signature.data(), prefix.data(), prefix.size()) == 0;
  };
  if (starts("\xff\xd8\xff")) return Format::jpeg;
  if (starts("\x89PNG\r\n\x1a\n")) return Format::png;
  if (is_binary_pnm(signature)) return Format::pnm;
  if (is_tiff(signature)) return Format::tiff;
  if (signature.size() >= 12 && starts("RIFF") &&
      std::memcmp(signature.data() + 8, "WEBP", 4) == 0) {
    return Format::webp;
  }
  return Format::other;
}

Format format_of_extension(std::string_view extension) {
  std::string lower(extension);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  if (lower == ".jpg" || lower == ".jpeg" || lower == ".jpe") return Format::jpeg;
  if (lower == ".png") return Format::png;
  if (lower == ".pgm" || lower == ".ppm" || lower == ".pnm") return Format::pnm;
  if (lower == ".tif" || lower == ".tiff") return Format::tiff;
  if (lower == ".webp") return Format::webp;
  return Format::other;
}

PnmKind pnm_kind_of(std::string_view extension) {
  const char kind = char(std::tolower(static_cast<unsigned char>(extension.at(2))));
  return kind == 'g' ? PnmKind::pgm : kind == 'p' ? PnmKind::ppm : PnmKind::any;
}

// A TIFF layout TiffReader leaves to OpenCV gives no reader; other errors stay errors.
template <typename Source>
std::unique_ptr<RowReader> open_tiff(Source source, std::string* fallback_reason) {
  try {
    return std::make_unique<TiffReader>(source);
  } catch (const CodecError& error) {
    if (std::string_view(error.what()).find("unsupported TIFF layout") != 0) throw;
    if (fallback_reason) *fallback_reason = error.what();
    return nullptr;
  }
}

// The reader for `format` on `source` (a FILE* or bytes in memory), nullptr for the others.
template <typename Source>
std::unique_ptr<RowReader> open_reader(Format format, Source source, std::string* fallback_reason) {
  switch (format) {
    case Format::jpeg:
      return std::make_unique<JpegReader>(source);
    case Format::png:
      return std::make_unique<PngReader>(source);
    case Format::pnm:
      return std::make_unique<PnmReader>(source);
    case Format::tiff:
      return open_tiff(source, fallback_reason);
    case Format::webp:
      return std::make_unique<WebpReader>(source);
    case Format::other:
      break;
  }
  if (fallback_reason) *fallback_reason = "not a format pblur reads itself";
  return nullptr;
}

}  // namespace

std::unique_ptr<RowReader> open_row_reader(std::FILE* file, std::string* fallback_reason) {
  const off_t start = ftello(file);
  std::array<std::byte, kSignatureSize> signature{};
  const std::size_t read = std::fread(signature.data(), 1, signature.size(), file);
  if (fseeko(file, start, SEEK_SET) != 0) throw CodecError("the file cannot be rewound");
  const Format format = format_of_signature(std::span(signature).first(read));
  auto reader = open_reader(format, file, fallback_reason);
  if (!reader) fseeko(file, start, SEEK_SET);
  return reader;
}

std::unique_ptr<RowReader> open_row_reader(std::span<const std::byte> bytes,
                                           std::string* fallback_reason) {
  return open_reader(format_of_signature(bytes.first(std::min(bytes.size(), kSignatureSize))),
                     bytes, fallback_reason);
}

std::unique_ptr<RowWriter> open_row_writer(std::FILE* file, std::string_view extension,
                                           const RowLayout& layout, const RowWriteOptions& options,
                                           const ImageMetadata& metadata) {
  switch (format_of_extension(extension)) {
    case Format::jpeg: {
      JpegWriteOptions jpeg;
      if (options.quality) jpeg.quality = *options.quality;
      return std::make_unique<JpegWriter>(file, layout, jpeg, metadata);
    }
    case Format::png: {
      std::vector<int> parameters;
      constexpr int kPngCompression = 16;  // cv::IMWRITE_PNG_COMPRESSION
      if (options.png_compression) parameters = {kPngCompression, *options.png_compression};
      return std::make_unique<PngWriter>(file, layout, PngWriteOptions::from_opencv(parameters),
                                         metadata);
    }
    case Format::pnm:
      return std::make_unique<PnmWriter>(file, layout, pnm_kind_of(extension));
    case Format::tiff:
      return std::make_unique<TiffWriter>(file, layout, metadata);
    case Format::webp: {
      WebpWriteOptions webp;
      if (options.quality) webp.quality = *options.quality;
      webp.lossless = options.lossless;
      return std::make_unique<WebpWriter>(file, layout, webp, metadata);
    }
    case Format::other:
      break;
  }
  return nullptr;
}

bool has_row_writer(std::string_view extension) {
  return format_of_extension(extension) != Format::other;
}

bool writer_streams(std::string_view extension) {
  const Format format = format_of_extension(extension);
  return format != Format::other && format != Format::webp;
}

}  // namespace pblur
