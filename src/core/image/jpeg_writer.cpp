#include "core/image/jpeg_writer.h"

#include <algorithm>

#include "core/image/jpeg_error.h"
#include "core/image/jpeg_markers.h"

namespace pblur {

struct JpegWriter::Encoder {
  jpeg_compress_struct info{};
  JpegErrorManager errors{*reinterpret_cast<jpeg_common_struct*>(&info)};
  bool failed = false;  // libjpeg's state after an error is not to be touched again

  Encoder() {
    check(jpeg_guarded(errors, [this] { jpeg_create_compress(&info); }));
  }
  ~Encoder() { jpeg_destroy_compress(&info); }
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  void check(bool done) {
    if (done) return;
    failed = true;
    throw CodecError(errors.message());
  }
};

namespace {

J_COLOR_SPACE color_space_of(int channels) {
  return channels == 4 ? JCS_EXT_BGRX : channels == 3 ? JCS_EXT_BGR : JCS_GRAYSCALE;
}

// As OpenCV 4.6's JpegEncoder::write sets them, in its order.
void configure(jpeg_compress_struct& info, const RowLayout& layout, const JpegWriteOptions& options,
               const ImageMetadata& metadata) {
  info.image_width = JDIMENSION(layout.width);
  info.image_height = JDIMENSION(layout.height);
  info.input_components = layout.channels;
  info.in_color_space = color_space_of(layout.channels);
  jpeg_set_defaults(&info);
  info.restart_interval = unsigned(std::clamp(options.restart_interval, 0, 65535));
  jpeg_set_quality(&info, std::clamp(options.quality, 0, 100), TRUE);
  if (options.progressive) jpeg_simple_progression(&info);
  if (options.optimize) info.optimize_coding = TRUE;
  set_density(info, metadata.resolution);
}

void check_layout(const RowLayout& layout) {
  if (layout.bits != 8) throw CodecError("JPEG holds 8-bit samples only");
  if (layout.channels != 1 && layout.channels != 3 && layout.channels != 4) {
    throw CodecError("JPEG holds gray or colour images only");
  }
  if (layout.width < 1 || layout.height < 1 || layout.width > JPEG_MAX_DIMENSION ||
      layout.height > JPEG_MAX_DIMENSION) {
    throw CodecError("JPEG holds images of 1 to 65500 pixels a side");
  }
}

}  // namespace

JpegWriter::JpegWriter(std::FILE* file, const RowLayout& layout, const JpegWriteOptions& options,
                       const ImageMetadata& metadata)
    : layout_(layout) {
  check_layout(layout);
  check_markers_fit(metadata);
  encoder_ = std::make_unique<Encoder>();
  Encoder& e = *encoder_;
  e.check(jpeg_guarded(e.errors, [&] {
    jpeg_stdio_dest(&e.info, file);
    configure(e.info, layout, options, metadata);
    jpeg_start_compress(&e.info, TRUE);
    write_metadata_markers(e.info, metadata);
  }));
}

JpegWriter::~JpegWriter() = default;

void JpegWriter::write_rows(const std::byte* src, std::size_t stride, int count) {
  Encoder& e = *encoder_;
  if (e.failed) throw CodecError("the JPEG encoder already failed");
  check_more_rows(layout_, rows_written_, count);
  for (int i = 0; i < count; ++i, ++rows_written_) {
    // libjpeg takes rows through non-const pointers but only reads them.
    JSAMPROW row =
        reinterpret_cast<JSAMPROW>(const_cast<std::byte*>(src + std::size_t(i) * stride));
    e.check(jpeg_guarded(e.errors, [&e, &row] { jpeg_write_scanlines(&e.info, &row, 1); }));
  }
}

void JpegWriter::finish() {
  Encoder& e = *encoder_;
  if (e.failed) throw CodecError("the JPEG encoder already failed");
  check_all_rows(layout_, rows_written_);
  e.check(jpeg_guarded(e.errors, [&e] { jpeg_finish_compress(&e.info); }));
}

}  // namespace pblur
