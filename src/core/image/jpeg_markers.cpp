#include "core/image/jpeg_markers.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>

#include "core/image/exif_orientation.h"
#include "core/image/row_codec.h"

namespace pblur {
namespace {

constexpr int kApp1 = JPEG_APP0 + 1, kApp2 = JPEG_APP0 + 2, kApp13 = JPEG_APP0 + 13;
constexpr unsigned kMaxMarkerBytes = 65533;
// The signatures are NUL-terminated strings; the NUL is part of each.
constexpr std::string_view kExif{"Exif\0\0", 6};
constexpr std::string_view kXmp{"http://ns.adobe.com/xap/1.0/\0", 29};
constexpr std::string_view kPhotoshop{"Photoshop 3.0\0", 14};

std::span<const std::byte> payload_of(const jpeg_marker_struct& marker) {
  return {reinterpret_cast<const std::byte*>(marker.data), marker.data_length};
}

// The payload after `signature`, or nothing if the marker does not start with it.
std::optional<std::vector<std::byte>> after_signature(const jpeg_marker_struct& marker,
                                                      std::string_view signature) {
  const auto payload = payload_of(marker);
  if (payload.size() < signature.size() ||
      std::memcmp(payload.data(), signature.data(), signature.size()) != 0) {
    return std::nullopt;
  }
  return std::vector<std::byte>(payload.begin() + std::ptrdiff_t(signature.size()), payload.end());
}

void keep_first(std::vector<std::byte>& slot, std::optional<std::vector<std::byte>> found) {
  if (slot.empty() && found) slot = std::move(*found);
}

std::vector<std::byte> icc_profile_of(jpeg_decompress_struct& info, JpegErrorManager& errors) {
  JOCTET* data = nullptr;
  unsigned length = 0;
  const bool read = jpeg_guarded(errors, [&] { jpeg_read_icc_profile(&info, &data, &length); });
  std::vector<std::byte> profile;
  if (read && data)
    profile.assign(reinterpret_cast<std::byte*>(data), reinterpret_cast<std::byte*>(data) + length);
  std::free(data);
  return profile;
}

std::optional<Resolution> jfif_density(const jpeg_decompress_struct& info) {
  if (!info.saw_JFIF_marker) return std::nullopt;
  Resolution resolution;
  resolution.unit = info.density_unit == 1   ? Resolution::Unit::inch
                    : info.density_unit == 2 ? Resolution::Unit::centimetre
                                             : Resolution::Unit::none;
  resolution.x = info.X_density;
  resolution.y = info.Y_density;
  return resolution;
}

void write_marker(jpeg_compress_struct& info, int marker, std::string_view signature,
                  const std::vector<std::byte>& payload) {
  if (payload.empty()) return;
  jpeg_write_m_header(&info, marker, unsigned(signature.size() + payload.size()));
  for (const char c : signature) jpeg_write_m_byte(&info, static_cast<unsigned char>(c));
  for (const std::byte b : payload) jpeg_write_m_byte(&info, static_cast<int>(b));
}

UINT16 density_value(double value) {
  return static_cast<UINT16>(std::lround(std::clamp(value, 1.0, 65535.0)));
}

}  // namespace

void save_metadata_markers(jpeg_decompress_struct& info) {
  for (const int marker : {kApp1, kApp2, kApp13}) jpeg_save_markers(&info, marker, 0xFFFF);
}

int opencv_orientation_of(const jpeg_decompress_struct& info) {
  for (auto* marker = info.marker_list; marker; marker = marker->next) {
    if (marker->marker == kApp1) return opencv_exif_orientation(payload_of(*marker));
  }
  return 1;
}

ImageMetadata metadata_of(jpeg_decompress_struct& info, JpegErrorManager& errors) {
  ImageMetadata metadata;
  for (auto* marker = info.marker_list; marker; marker = marker->next) {
    if (marker->marker == kApp1) {
      keep_first(metadata.exif, after_signature(*marker, kExif));
      keep_first(metadata.xmp, after_signature(*marker, kXmp));
    } else if (marker->marker == kApp13) {
      keep_first(metadata.iptc, after_signature(*marker, kPhotoshop));
    }
  }
  metadata.icc = icc_profile_of(info, errors);
  metadata.resolution = jfif_density(info);
  return metadata;
}

void set_density(jpeg_compress_struct& info, const std::optional<Resolution>& resolution) {
  if (!resolution) return;
  info.density_unit = resolution->unit == Resolution::Unit::inch         ? 1
                      : resolution->unit == Resolution::Unit::centimetre ? 2
                                                                         : 0;
  info.X_density = density_value(resolution->x);
  info.Y_density = density_value(resolution->y);
}

void check_markers_fit(const ImageMetadata& metadata) {
  const auto check = [](const std::vector<std::byte>& blob, std::string_view signature,
                        const char* what) {
    if (blob.size() + signature.size() > kMaxMarkerBytes) {
      throw CodecError(std::string("the ") + what + " metadata is too large for a JPEG marker");
    }
  };
  check(metadata.exif, kExif, "EXIF");
  check(metadata.xmp, kXmp, "XMP");
  check(metadata.iptc, kPhotoshop, "IPTC");
}

void write_metadata_markers(jpeg_compress_struct& info, const ImageMetadata& metadata) {
  write_marker(info, kApp1, kExif, metadata.exif);
  if (!metadata.icc.empty()) {
    jpeg_write_icc_profile(&info, reinterpret_cast<const JOCTET*>(metadata.icc.data()),
                           unsigned(metadata.icc.size()));
  }
  write_marker(info, kApp1, kXmp, metadata.xmp);
  write_marker(info, kApp13, kPhotoshop, metadata.iptc);
}

}  // namespace pblur
