#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/image/image_metadata.h"
#include "core/image/row_codec.h"

namespace pblur {

// Which metadata an output keeps of its input's (vips's `keep`). The resolution is part of the
// image, not of this choice: it is always kept.
struct MetadataKeep {
  bool exif = true;
  bool icc = true;
  bool xmp = true;
  bool iptc = true;

  static MetadataKeep all() { return {}; }
  static MetadataKeep none() { return {false, false, false, false}; }
  bool operator==(const MetadataKeep&) const = default;
};

// What an output inherits from the file its pixels came from, read beside the pixels and never
// sent to the workers.
struct ImageOrigin {
  ImageMetadata metadata;  // EXIF checked, and upright when the reader turned the pixels
  std::optional<int> jpeg_quality;
  bool webp_lossless = false;         // a lossless WebP input: a WebP output is lossless too
  std::vector<std::string> warnings;  // one line each, naming the file
};

// The origin of the image `reader` decodes from `input` (named in the warnings): a corrupt EXIF
// block is dropped with a warning, and an EXIF orientation the reader applies becomes 1.
ImageOrigin origin_of(const RowReader& reader, const std::string& input);

// The metadata an output of `width` x `height` pixels carries: what `keep` keeps of the
// origin's, with EXIF's pixel size made the output's.
ImageMetadata output_metadata(const ImageOrigin& origin, const MetadataKeep& keep, int width,
                              int height);

}  // namespace pblur
