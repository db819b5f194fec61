#include "core/image/png_reader.h"

#include <cstring>
#include <vector>

#include "core/image/png_error.h"
#include "core/image/png_metadata.h"

namespace pblur {

struct PngReader::Decoder {
  PngMessages messages;
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::span<const std::byte> memory;  // the source, where it is memory
  std::size_t memory_at = 0;
  bool interlaced = false;
  std::vector<std::byte> whole;  // an interlaced image, decoded at once
  std::vector<png_bytep> whole_rows;
  bool failed = false;  // libpng's state after an error is not to be touched again

  Decoder() {
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &messages, PngMessages::on_error,
                                 PngMessages::on_warning);
    if (png) info = png_create_info_struct(png);
    if (!png || !info) throw CodecError("libpng could not start (out of memory)");
  }
  ~Decoder() { png_destroy_read_struct(&png, &info, nullptr); }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  void check(bool done) {
    if (done) return;
    failed = true;
    throw CodecError(messages.message);
  }

  static void read_memory(png_structp png, png_bytep out, png_size_t length) {
    auto* self = static_cast<Decoder*>(png_get_io_ptr(png));
    if (length > self->memory.size() - self->memory_at)
      png_error(png, "Read Error: file truncated");
    std::memcpy(out, self->memory.data() + self->memory_at, length);
    self->memory_at += length;
  }
};

namespace {

int channels_of(png_structp png, png_infop info) {
  const int color_type = png_get_color_type(png, info);
  if (color_type == PNG_COLOR_TYPE_GRAY_ALPHA || color_type == PNG_COLOR_TYPE_RGB_ALPHA) return 4;
  if (color_type == PNG_COLOR_TYPE_RGB || color_type == PNG_COLOR_TYPE_PALETTE) {
    return png_get_valid(png, info, PNG_INFO_tRNS) ? 4 : 3;
  }
  return 1;
}

// OpenCV 4.6's PngDecoder::readData, for an image of `channels` channels kept at its depth.
void set_opencv_transforms(png_structp png, png_infop info, int channels) {
  const int color_type = png_get_color_type(png, info);
  const int bit_depth = png_get_bit_depth(png, info);
  if (bit_depth == 16) png_set_swap(png);  // OpenCV's samples are little-endian
  if (channels < 4) {
    png_set_strip_alpha(png);
  } else {
    png_set_tRNS_to_alpha(png);
  }
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if ((color_type & PNG_COLOR_MASK_COLOR) == 0 && bit_depth < 8) {
    png_set_expand_gray_1_2_4_to_8(png);
  }
  if ((color_type & PNG_COLOR_MASK_COLOR) && channels > 1) {
    png_set_bgr(png);
  } else if (channels > 1) {
    png_set_gray_to_rgb(png);
  } else {
    png_set_rgb_to_gray(png, 1, 0.299, 0.587);
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
}

}  // namespace

PngReader::PngReader(std::FILE* file) : decoder_(std::make_unique<Decoder>()) {
  png_init_io(decoder_->png, file);
  read_header();
}

PngReader::PngReader(std::span<const std::byte> bytes) : decoder_(std::make_unique<Decoder>()) {
  decoder_->memory = bytes;
  png_set_read_fn(decoder_->png, decoder_.get(), Decoder::read_memory);
  read_header();
}

PngReader::~PngReader() = default;

void PngReader::read_header() {
  Decoder& d = *decoder_;
  d.check(png_guarded(d.png, [&d] { png_read_info(d.png, d.info); }));
  layout_.width = int(png_get_image_width(d.png, d.info));
  layout_.height = int(png_get_image_height(d.png, d.info));
  layout_.channels = channels_of(d.png, d.info);
  layout_.bits = png_get_bit_depth(d.png, d.info) == 16 ? 16 : 8;
  d.interlaced = png_get_interlace_type(d.png, d.info) != PNG_INTERLACE_NONE;
  metadata_ = png_metadata_of(d.png, d.info);
  const int channels = layout_.channels;
  d.check(png_guarded(d.png, [&d, channels] { set_opencv_transforms(d.png, d.info, channels); }));
  if (png_get_rowbytes(d.png, d.info) != layout_.row_bytes()) {
    d.failed = true;
    throw CodecError("libpng's rows are not the size OpenCV's are");
  }
}

std::string PngReader::stream_blocker() const {
  if (decoder_->interlaced) return "an interlaced PNG is decoded whole";
  return {};
}

void PngReader::read_interlaced_whole() {
  Decoder& d = *decoder_;
  d.whole.resize(layout_.row_bytes() * std::size_t(layout_.height));
  d.whole_rows.resize(std::size_t(layout_.height));
  for (std::size_t y = 0; y < d.whole_rows.size(); ++y) {
    d.whole_rows[y] = reinterpret_cast<png_bytep>(d.whole.data() + y * layout_.row_bytes());
  }
  d.check(png_guarded(d.png, [&d] { png_read_image(d.png, d.whole_rows.data()); }));
}

void PngReader::read_rows(std::byte* dst, std::size_t stride, int count) {
  Decoder& d = *decoder_;
  if (d.failed) throw CodecError("the PNG decoder already failed");
  check_more_rows(layout_, rows_read_, count);
  d.messages.warnings_fail = true;
  if (d.interlaced && d.whole.empty() && count > 0) read_interlaced_whole();
  for (int i = 0; i < count; ++i, ++rows_read_) {
    const auto row = reinterpret_cast<png_bytep>(dst + std::size_t(i) * stride);
    if (d.interlaced) {
      std::memcpy(row, d.whole_rows[std::size_t(rows_read_)], layout_.row_bytes());
    } else {
      d.check(png_guarded(d.png, [&d, row] { png_read_row(d.png, row, nullptr); }));
    }
  }
  if (rows_read_ == layout_.height && count > 0) {
    d.check(png_guarded(d.png, [&d] { png_read_end(d.png, nullptr); }));
  }
}

}  // namespace pblur
