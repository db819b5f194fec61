#include "core/image/webp_reader.h"

#include <array>
#include <cstring>
#include <string>

#include <webp/decode.h>

#include "core/image/webp_metadata.h"

namespace pblur {
namespace {

std::vector<std::byte> read_to_end(std::FILE* file) {
  std::vector<std::byte> bytes;
  std::array<std::byte, 1 << 16> block;
  for (std::size_t read; (read = std::fread(block.data(), 1, block.size(), file)) > 0;)
    bytes.insert(bytes.end(), block.begin(), block.begin() + std::ptrdiff_t(read));
  if (std::ferror(file)) throw CodecError("the WebP file cannot be read");
  return bytes;
}

const uint8_t* data_of(std::span<const std::byte> bytes) {
  return reinterpret_cast<const uint8_t*>(bytes.data());
}

constexpr int kLosslessFormat = 2;  // WebPBitstreamFeatures::format of a VP8L image

}  // namespace

WebpReader::WebpReader(std::FILE* file) : owned_(read_to_end(file)), file_(owned_) {
  read_header();
}

WebpReader::WebpReader(std::span<const std::byte> bytes) : file_(bytes) {
  read_header();
}

void WebpReader::read_header() {
  WebPBitstreamFeatures features{};
  const VP8StatusCode status = WebPGetFeatures(data_of(file_), file_.size(), &features);
  if (status != VP8_STATUS_OK)
    throw CodecError("libwebp cannot read its header (status " + std::to_string(status) + ")");
  if (features.has_animation) throw CodecError("an animated WebP cannot be read");
  layout_ = {features.width, features.height, features.has_alpha ? 4 : 3, 8};
  lossless_ = features.format == kLosslessFormat;
  metadata_ = webp_metadata_of(file_);
}

void WebpReader::decode() {
  pixels_.resize(layout_.row_bytes() * std::size_t(layout_.height));
  auto* out = reinterpret_cast<uint8_t*>(pixels_.data());
  const int stride = int(layout_.row_bytes());
  const uint8_t* decoded =
      layout_.channels == 4
          ? WebPDecodeBGRAInto(data_of(file_), file_.size(), out, pixels_.size(), stride)
          : WebPDecodeBGRInto(data_of(file_), file_.size(), out, pixels_.size(), stride);
  if (decoded != out) {
    pixels_.clear();
    throw CodecError("libwebp could not decode the image (truncated or corrupt)");
  }
}

void WebpReader::read_rows(std::byte* dst, std::size_t stride, int count) {
  check_more_rows(layout_, rows_read_, count);
  if (count > 0 && pixels_.empty()) decode();
  for (int i = 0; i < count; ++i, ++rows_read_) {
    std::memcpy(dst + std::size_t(i) * stride,
                pixels_.data() + std::size_t(rows_read_) * layout_.row_bytes(),
                layout_.row_bytes());
  }
}

}  // namespace pblur
