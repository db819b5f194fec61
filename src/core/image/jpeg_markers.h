#pragma once

#include <optional>

#include "core/image/image_metadata.h"
#include "core/image/jpeg_error.h"

namespace pblur {

// Asks libjpeg to keep the markers that carry metadata (APP1, APP2, APP13) as it reads the
// header.
void save_metadata_markers(jpeg_decompress_struct& info);

// The EXIF orientation imread applies: read from the first APP1 marker, whatever it holds.
int opencv_orientation_of(const jpeg_decompress_struct& info);

// EXIF, XMP, ICC, IPTC and the JFIF density of a header read with save_metadata_markers.
ImageMetadata metadata_of(jpeg_decompress_struct& info, JpegErrorManager& errors);

// Sets the JFIF density from `resolution` (before jpeg_start_compress).
void set_density(jpeg_compress_struct& info, const std::optional<Resolution>& resolution);

// Writes the blobs of `metadata` as APP markers (after jpeg_start_compress, inside
// jpeg_guarded: it allocates nothing). Throws CodecError first if one cannot fit a marker.
void check_markers_fit(const ImageMetadata& metadata);
void write_metadata_markers(jpeg_compress_struct& info, const ImageMetadata& metadata);

}  // namespace pblur
