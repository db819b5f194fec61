#include "core/image/tiff_metadata.h"

#include <cstdint>

namespace pblur {
namespace {

std::vector<std::byte> blob(TIFF* tiff, ttag_t tag) {
  std::uint32_t size = 0;
  void* data = nullptr;
  if (!TIFFGetField(tiff, tag, &size, &data) || !data) return {};
  const auto* begin = static_cast<const std::byte*>(data);
  return {begin, begin + size};
}

bool set_blob(TIFF* tiff, ttag_t tag, const std::vector<std::byte>& bytes) {
  return bytes.empty() || TIFFSetField(tiff, tag, std::uint32_t(bytes.size()), bytes.data()) != 0;
}

std::optional<Resolution> resolution_of(TIFF* tiff) {
  float x = 0, y = 0;
  if (!TIFFGetField(tiff, TIFFTAG_XRESOLUTION, &x) || !TIFFGetField(tiff, TIFFTAG_YRESOLUTION, &y))
    return std::nullopt;
  std::uint16_t unit = RESUNIT_INCH;
  TIFFGetFieldDefaulted(tiff, TIFFTAG_RESOLUTIONUNIT, &unit);
  const Resolution::Unit kind = unit == RESUNIT_INCH         ? Resolution::Unit::inch
                                : unit == RESUNIT_CENTIMETER ? Resolution::Unit::centimetre
                                                             : Resolution::Unit::none;
  return Resolution{kind, double(x), double(y)};
}

bool set_resolution(TIFF* tiff, const Resolution& resolution) {
  const std::uint16_t unit = resolution.unit == Resolution::Unit::inch         ? RESUNIT_INCH
                             : resolution.unit == Resolution::Unit::centimetre ? RESUNIT_CENTIMETER
                                                                               : RESUNIT_NONE;
  return TIFFSetField(tiff, TIFFTAG_XRESOLUTION, float(resolution.x)) &&
         TIFFSetField(tiff, TIFFTAG_YRESOLUTION, float(resolution.y)) &&
         TIFFSetField(tiff, TIFFTAG_RESOLUTIONUNIT, unit);
}

}  // namespace

ImageMetadata tiff_metadata_of(TIFF* tiff) {
  ImageMetadata metadata;
  metadata.icc = blob(tiff, TIFFTAG_ICCPROFILE);
  metadata.xmp = blob(tiff, TIFFTAG_XMLPACKET);
  metadata.iptc = blob(tiff, TIFFTAG_PHOTOSHOP);
  metadata.resolution = resolution_of(tiff);
  return metadata;
}

bool set_tiff_metadata(TIFF* tiff, const ImageMetadata& metadata) {
  return set_blob(tiff, TIFFTAG_ICCPROFILE, metadata.icc) &&
         set_blob(tiff, TIFFTAG_XMLPACKET, metadata.xmp) &&
         set_blob(tiff, TIFFTAG_PHOTOSHOP, metadata.iptc) &&
         (!metadata.resolution || set_resolution(tiff, *metadata.resolution));
}

}  // namespace pblur
