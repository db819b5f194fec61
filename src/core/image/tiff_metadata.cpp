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

// Photoshop's image resources (tag 34377) as they are, or else the IPTC records of tag 33723
// wrapped as Photoshop's IPTC resource (8BIM 0x0404, no name), as JPEG's APP13 carries them.
std::vector<std::byte> photoshop_resources_of(TIFF* tiff) {
  std::vector<std::byte> resources = blob(tiff, TIFFTAG_PHOTOSHOP);
  if (!resources.empty()) return resources;
  const std::vector<std::byte> iptc = blob(tiff, TIFFTAG_RICHTIFFIPTC);
  if (iptc.empty()) return {};
  const auto size = std::uint32_t(iptc.size());
  for (const std::uint32_t value :
       {std::uint32_t{'8'}, std::uint32_t{'B'}, std::uint32_t{'I'}, std::uint32_t{'M'}, 0x04u,
        0x04u, 0u, 0u, size >> 24, (size >> 16) & 0xFF, (size >> 8) & 0xFF, size & 0xFF}) {
    resources.push_back(std::byte(value));
  }
  resources.insert(resources.end(), iptc.begin(), iptc.end());
  if (size % 2 != 0) resources.push_back(std::byte{0});
  return resources;
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
  metadata.iptc = photoshop_resources_of(tiff);
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
