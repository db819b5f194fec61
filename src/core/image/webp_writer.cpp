#include "core/image/webp_writer.h"

#include <cstring>
#include <memory>

#include <webp/encode.h>

#include "core/image/webp_metadata.h"

namespace pblur {
namespace {

struct WebpFree {
  void operator()(uint8_t* bytes) const { WebPFree(bytes); }
};

using Encoder = std::size_t (*)(const uint8_t*, int, int, int, float, uint8_t**);

std::size_t encode_lossless(const uint8_t* pixels, int width, int height, int stride, bool alpha,
                            uint8_t** out) {
  return alpha ? WebPEncodeLosslessBGRA(pixels, width, height, stride, out)
               : WebPEncodeLosslessBGR(pixels, width, height, stride, out);
}

// A gray row as the BGR row OpenCV's cvtColor(COLOR_GRAY2BGR) makes of it.
void widen_gray(const std::byte* gray, std::byte* bgr, int width) {
  for (int x = 0; x < width; ++x, bgr += 3) bgr[0] = bgr[1] = bgr[2] = gray[x];
}

}  // namespace

WebpWriter::WebpWriter(std::FILE* file, const RowLayout& layout, const WebpWriteOptions& options,
                       const ImageMetadata& metadata)
    : file_(file), layout_(layout), options_(options), metadata_(metadata) {
  if (layout.bits != 8) throw CodecError("WebP rows are 8 bits");
  if (layout.channels != 1 && layout.channels != 3 && layout.channels != 4)
    throw CodecError("WebP rows are gray, BGR or BGRA");
  if (layout.width < 1 || layout.height < 1) throw CodecError("a WebP has at least one pixel");
  if (layout.width > WEBP_MAX_DIMENSION || layout.height > WEBP_MAX_DIMENSION) {
    throw CodecError("a WebP is at most " + std::to_string(WEBP_MAX_DIMENSION) +
                     " pixels wide and high");
  }
  if (options.quality < 1 || options.quality > 100)
    throw CodecError("a WebP's quality is from 1 to 100");
}

void WebpWriter::write_rows(const std::byte* src, std::size_t stride, int count) {
  check_more_rows(layout_, rows_written_, count);
  const int channels = layout_.channels == 1 ? 3 : layout_.channels;
  const std::size_t row_bytes = std::size_t(layout_.width) * std::size_t(channels);
  if (pixels_.empty()) pixels_.resize(row_bytes * std::size_t(layout_.height));
  for (int i = 0; i < count; ++i, ++rows_written_) {
    const std::byte* row = src + std::size_t(i) * stride;
    std::byte* to = pixels_.data() + std::size_t(rows_written_) * row_bytes;
    if (layout_.channels == 1) {
      widen_gray(row, to, layout_.width);
    } else {
      std::memcpy(to, row, row_bytes);
    }
  }
}

std::vector<std::byte> WebpWriter::encode() const {
  const bool alpha = layout_.channels == 4;
  const int stride = layout_.width * (alpha ? 4 : 3);
  const auto* pixels = reinterpret_cast<const uint8_t*>(pixels_.data());
  uint8_t* out = nullptr;
  const Encoder lossy = alpha ? WebPEncodeBGRA : WebPEncodeBGR;
  const std::size_t size =
      options_.lossless
          ? encode_lossless(pixels, layout_.width, layout_.height, stride, alpha, &out)
          : lossy(pixels, layout_.width, layout_.height, stride, float(options_.quality), &out);
  const std::unique_ptr<uint8_t, WebpFree> owned(out);
  if (size == 0 || !out) throw CodecError("libwebp could not encode the image");
  const auto* begin = reinterpret_cast<const std::byte*>(out);
  return with_webp_metadata(std::span(begin, size), metadata_);
}

void WebpWriter::finish() {
  check_all_rows(layout_, rows_written_);
  const std::vector<std::byte> file = encode();
  if (std::fwrite(file.data(), 1, file.size(), file_) != file.size() || std::fflush(file_) != 0)
    throw CodecError("the WebP could not be written");
}

}  // namespace pblur
