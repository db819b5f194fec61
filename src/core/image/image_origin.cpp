#include "core/image/image_origin.h"

#include "core/image/exif_block.h"

namespace pblur {

ImageOrigin origin_of(const RowReader& reader, const std::string& input) {
  ImageOrigin origin;
  origin.metadata = reader.metadata();
  origin.jpeg_quality = reader.jpeg_quality();
  origin.webp_lossless = reader.webp_lossless();
  std::vector<std::byte>& exif = origin.metadata.exif;
  if (exif.empty()) return origin;
  try {
    check_exif_block(exif);
    const int orientation = reader.orientation();
    if (orientation >= 2 && orientation <= 8) set_exif_upright(exif);
  } catch (const CodecError& error) {
    origin.warnings.push_back("'" + input + "': its EXIF block is corrupt (" + error.what() +
                              "); the output is written without it");
    exif.clear();
  }
  return origin;
}

ImageMetadata output_metadata(const ImageOrigin& origin, const MetadataKeep& keep, int width,
                              int height) {
  ImageMetadata metadata;
  metadata.resolution = origin.metadata.resolution;
  if (keep.exif) {
    metadata.exif = origin.metadata.exif;
    if (!metadata.exif.empty()) set_exif_pixel_size(metadata.exif, width, height);
  }
  if (keep.icc) metadata.icc = origin.metadata.icc;
  if (keep.xmp) metadata.xmp = origin.metadata.xmp;
  if (keep.iptc) metadata.iptc = origin.metadata.iptc;
  return metadata;
}

}  // namespace pblur
