#include "core/image/image_origin.h"

#include "core/image/exif_block.h"
#include "core/image/png_metadata.h"

namespace pblur {
namespace {

// Drops a profile libpng refuses (the strictest of pblur's writers, and a fair judge of a broken
// one) with a warning, so that no output fails for it.
void check_icc_profile(ImageOrigin& origin, int channels, const std::string& input) {
  std::vector<std::byte>& icc = origin.metadata.icc;
  if (icc.empty()) return;
  if (const auto refusal = png_icc_refusal(icc, channels)) {
    origin.warnings.push_back("'" + input + "': its ICC profile is invalid (" + *refusal +
                              "); the output is written without it");
    icc.clear();
  }
}

}  // namespace

ImageOrigin origin_of(const RowReader& reader, const std::string& input) {
  ImageOrigin origin;
  origin.metadata = reader.metadata();
  origin.jpeg_quality = reader.jpeg_quality();
  origin.webp_lossless = reader.webp_lossless();
  check_icc_profile(origin, reader.layout().channels, input);
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
