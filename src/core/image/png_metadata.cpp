#include "core/image/png_metadata.h"

#include <cmath>
#include <cstring>

namespace pblur {
namespace {

constexpr const char* kXmpKeyword = "XML:com.adobe.xmp";
constexpr double kCentimetresPerInch = 2.54;

std::vector<std::byte> bytes_of(const void* data, std::size_t size) {
  const auto* begin = static_cast<const std::byte*>(data);
  return {begin, begin + size};
}

std::vector<std::byte> xmp_of(png_structp png, png_infop info) {
  png_textp texts = nullptr;
  const int count = png_get_text(png, info, &texts, nullptr);
  for (int i = 0; i < count; ++i) {
    if (std::strcmp(texts[i].key, kXmpKeyword) == 0) {
      return bytes_of(texts[i].text,
                      texts[i].itxt_length ? texts[i].itxt_length : texts[i].text_length);
    }
  }
  return {};
}

std::optional<Resolution> resolution_of(png_structp png, png_infop info) {
  png_uint_32 x = 0, y = 0;
  int unit = 0;
  if (!png_get_pHYs(png, info, &x, &y, &unit)) return std::nullopt;
  if (unit != PNG_RESOLUTION_METER) return Resolution{Resolution::Unit::none, double(x), double(y)};
  return Resolution{Resolution::Unit::centimetre, x / 100.0, y / 100.0};
}

png_uint_32 per_metre(double value, Resolution::Unit unit) {
  const double scale = unit == Resolution::Unit::inch         ? 100.0 / kCentimetresPerInch
                       : unit == Resolution::Unit::centimetre ? 100.0
                                                              : 1.0;
  return png_uint_32(std::lround(std::max(value * scale, 1.0)));
}

}  // namespace

ImageMetadata png_metadata_of(png_structp png, png_infop info) {
  ImageMetadata metadata;
  png_bytep exif = nullptr;
  png_uint_32 exif_size = 0;
  if (png_get_eXIf_1(png, info, &exif_size, &exif) && exif)
    metadata.exif = bytes_of(exif, exif_size);
  png_charp name = nullptr;
  int compression = 0;
  png_bytep profile = nullptr;
  png_uint_32 profile_size = 0;
  if (png_get_iCCP(png, info, &name, &compression, &profile, &profile_size) && profile) {
    metadata.icc = bytes_of(profile, profile_size);
  }
  metadata.xmp = xmp_of(png, info);
  metadata.resolution = resolution_of(png, info);
  return metadata;
}

void set_png_metadata(png_structp png, png_infop info, const ImageMetadata& metadata,
                      const std::string& xmp_text) {
  if (!metadata.exif.empty()) {
    png_set_eXIf_1(png, info, png_uint_32(metadata.exif.size()),
                   reinterpret_cast<png_bytep>(const_cast<std::byte*>(metadata.exif.data())));
  }
  if (!metadata.icc.empty()) {
    png_set_iCCP(png, info, "ICC profile", PNG_COMPRESSION_TYPE_BASE,
                 reinterpret_cast<png_const_bytep>(metadata.icc.data()),
                 png_uint_32(metadata.icc.size()));
  }
  if (!xmp_text.empty()) {
    png_text text{};
    text.compression = PNG_ITXT_COMPRESSION_NONE;
    text.key = const_cast<char*>(kXmpKeyword);
    text.text = const_cast<char*>(xmp_text.c_str());
    png_set_text(png, info, &text, 1);
  }
  if (const auto& resolution = metadata.resolution) {
    const bool metric = resolution->unit != Resolution::Unit::none;
    png_set_pHYs(png, info, per_metre(resolution->x, resolution->unit),
                 per_metre(resolution->y, resolution->unit),
                 metric ? PNG_RESOLUTION_METER : PNG_RESOLUTION_UNKNOWN);
  }
}

}  // namespace pblur
