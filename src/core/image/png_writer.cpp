#include "core/image/png_writer.h"

#include <algorithm>
#include <vector>

#include <zlib.h>

#include "core/image/png_error.h"
#include "core/image/png_metadata.h"

namespace pblur {

struct PngWriter::Encoder {
  PngMessages messages;
  png_structp png = nullptr;
  png_infop info = nullptr;
  bool failed = false;  // libpng's state after an error is not to be touched again

  Encoder() {
    messages.warnings_fail = true;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &messages, PngMessages::on_error,
                                  PngMessages::on_warning);
    if (png) info = png_create_info_struct(png);
    if (!png || !info) throw CodecError("libpng could not start (out of memory)");
  }
  ~Encoder() { png_destroy_write_struct(&png, &info); }
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  void check(bool done) {
    if (done) return;
    failed = true;
    throw CodecError(messages.message);
  }
};

namespace {

int color_type_of(int channels) {
  return channels == 1   ? PNG_COLOR_TYPE_GRAY
         : channels == 3 ? PNG_COLOR_TYPE_RGB
                         : PNG_COLOR_TYPE_RGBA;
}

// As OpenCV 4.6's PngEncoder::write sets them, in its order.
void configure(png_structp png, png_infop info, const RowLayout& layout,
               const PngWriteOptions& options, const ImageMetadata& metadata,
               const std::string& xmp_text) {
  if (options.compression_level >= 0) {
    png_set_compression_level(png, options.compression_level);
  } else {
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, Z_BEST_SPEED);
  }
  png_set_compression_strategy(png, options.strategy);
  png_set_IHDR(png, info, png_uint_32(layout.width), png_uint_32(layout.height), layout.bits,
               color_type_of(layout.channels), PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  set_png_metadata(png, info, metadata, xmp_text);
  png_write_info(png, info);
  png_set_bgr(png);
  png_set_swap(png);  // OpenCV's 16-bit samples are little-endian
}

}  // namespace

PngWriteOptions PngWriteOptions::from_opencv(const std::vector<int>& parameters) {
  constexpr int kCompression = 16, kStrategy = 17;  // cv::IMWRITE_PNG_*
  PngWriteOptions options;
  for (std::size_t i = 0; i + 1 < parameters.size(); i += 2) {
    if (parameters[i] == kCompression) {
      options.strategy = Z_DEFAULT_STRATEGY;
      options.compression_level = std::clamp(parameters[i + 1], 0, Z_BEST_COMPRESSION);
    } else if (parameters[i] == kStrategy) {
      options.strategy = std::clamp(parameters[i + 1], 0, Z_FIXED);
    }
  }
  return options;
}

PngWriter::PngWriter(std::FILE* file, const RowLayout& layout, const PngWriteOptions& options,
                     const ImageMetadata& metadata)
    : layout_(layout) {
  if (layout.bits != 8 && layout.bits != 16) throw CodecError("PNG rows are 8 or 16 bits");
  if (layout.channels != 1 && layout.channels != 3 && layout.channels != 4) {
    throw CodecError("PNG rows are gray, BGR or BGRA");
  }
  if (layout.width < 1 || layout.height < 1) throw CodecError("a PNG has at least one pixel");
  const std::string xmp_text(reinterpret_cast<const char*>(metadata.xmp.data()),
                             metadata.xmp.size());
  encoder_ = std::make_unique<Encoder>();
  Encoder& e = *encoder_;
  e.check(png_guarded(e.png, [&] {
    png_init_io(e.png, file);
    configure(e.png, e.info, layout, options, metadata, xmp_text);
  }));
}

PngWriter::~PngWriter() = default;

void PngWriter::write_rows(const std::byte* src, std::size_t stride, int count) {
  Encoder& e = *encoder_;
  if (e.failed) throw CodecError("the PNG encoder already failed");
  check_more_rows(layout_, rows_written_, count);
  for (int i = 0; i < count; ++i, ++rows_written_) {
    const auto row = reinterpret_cast<png_const_bytep>(src + std::size_t(i) * stride);
    e.check(png_guarded(e.png, [&e, row] { png_write_row(e.png, row); }));
  }
}

void PngWriter::finish() {
  Encoder& e = *encoder_;
  if (e.failed) throw CodecError("the PNG encoder already failed");
  check_all_rows(layout_, rows_written_);
  e.check(png_guarded(e.png, [&e] {
    // Without the info: libpng 1.6 would write its eXIf chunk a second time, after IDAT; every
    // other chunk pblur sets went out with png_write_info.
    png_write_end(e.png, nullptr);
    png_write_flush(e.png);
  }));
  if (std::fflush(static_cast<std::FILE*>(png_get_io_ptr(e.png))) != 0) {
    throw CodecError("the PNG could not be written");
  }
}

}  // namespace pblur
