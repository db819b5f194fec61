#include "core/image/jpeg_reader.h"

#include <cstring>
#include <string_view>
#include <vector>

#include "core/image/exif_orientation.h"
#include "core/image/jpeg_error.h"
#include "core/image/jpeg_markers.h"
#include "core/image/jpeg_quality.h"

namespace pblur {

struct JpegReader::Decoder {
  jpeg_decompress_struct info{};
  JpegErrorManager errors{*reinterpret_cast<jpeg_common_struct*>(&info)};
  std::vector<JSAMPLE> cmyk_row;
  bool started = false;
  bool finished = false;
  bool failed = false;  // libjpeg's state after an error is not to be touched again
  JDIMENSION rows_from_call = 0;

  Decoder() {
    check(jpeg_guarded(errors, [this] { jpeg_create_decompress(&info); }));
  }
  ~Decoder() { jpeg_destroy_decompress(&info); }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  void check(bool done) {
    if (done) return;
    failed = true;
    throw CodecError(errors.message());
  }
};

namespace {

// OpenCV's icvCvt_CMYK2BGR_8u_C4C3R: libjpeg hands out Adobe's inverted CMYK.
void cmyk_to_bgr(const JSAMPLE* cmyk, std::byte* bgr, int width) {
  for (int x = 0; x < width; ++x, cmyk += 4, bgr += 3) {
    const int k = cmyk[3];
    const auto ink = [k](int value) { return std::byte(k - ((255 - value) * k >> 8)); };
    bgr[2] = ink(cmyk[0]);
    bgr[1] = ink(cmyk[1]);
    bgr[0] = ink(cmyk[2]);
  }
}

}  // namespace

JpegReader::JpegReader(std::FILE* file) : decoder_(std::make_unique<Decoder>()) {
  jpeg_stdio_src(&decoder_->info, file);
  read_header();
}

JpegReader::JpegReader(std::span<const std::byte> bytes) : decoder_(std::make_unique<Decoder>()) {
  jpeg_mem_src(&decoder_->info, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  read_header();
}

JpegReader::~JpegReader() = default;

void JpegReader::read_header() {
  Decoder& d = *decoder_;
  d.check(jpeg_guarded(d.errors, [&d] {
    save_metadata_markers(d.info);
    jpeg_read_header(&d.info, TRUE);
  }));
  const int components = d.info.num_components;
  layout_ = {int(d.info.image_width), int(d.info.image_height), components > 1 ? 3 : 1, 8};
  d.info.out_color_space = components == 4  ? JCS_CMYK
                           : components > 1 ? JCS_EXT_BGR
                                            : JCS_GRAYSCALE;
  if (components == 4) d.cmyk_row.resize(std::size_t(layout_.width) * 4);
  progressive_ = jpeg_has_multiple_scans(&d.info);
  read_metadata();
}

void JpegReader::read_metadata() {
  Decoder& d = *decoder_;
  orientation_ = opencv_orientation_of(d.info);
  metadata_ = metadata_of(d.info, d.errors);
  quality_ = estimate_jpeg_quality(d.info);
}

std::string JpegReader::stream_blocker() const {
  if (orientation_ >= 2 && orientation_ <= 8) {
    return "its EXIF orientation (" + std::to_string(orientation_) + ") turns the whole image";
  }
  if (progressive_) return "a progressive JPEG is decoded whole by libjpeg";
  return {};
}

void JpegReader::read_rows(std::byte* dst, std::size_t stride, int count) {
  Decoder& d = *decoder_;
  if (d.failed) throw CodecError("the JPEG decoder already failed");
  check_more_rows(layout_, rows_read_, count);
  if (!d.started) {
    d.errors.fail_on_warnings();
    d.check(jpeg_guarded(d.errors, [&d] { jpeg_start_decompress(&d.info); }));
    d.started = true;
  }
  for (int i = 0; i < count; ++i, ++rows_read_) {
    std::byte* row = dst + std::size_t(i) * stride;
    JSAMPROW target = d.cmyk_row.empty() ? reinterpret_cast<JSAMPROW>(row) : d.cmyk_row.data();
    d.check(jpeg_guarded(
        d.errors, [&d, &target] { d.rows_from_call = jpeg_read_scanlines(&d.info, &target, 1); }));
    if (d.rows_from_call != 1) throw CodecError("the JPEG decoder stopped before the last row");
    if (!d.cmyk_row.empty()) cmyk_to_bgr(d.cmyk_row.data(), row, layout_.width);
  }
  if (rows_read_ == layout_.height && !d.finished) {
    d.check(jpeg_guarded(d.errors, [&d] { jpeg_finish_decompress(&d.info); }));
    d.finished = true;
  }
}

}  // namespace pblur
