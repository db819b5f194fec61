#pragma once

#include <tiffio.h>

#include "core/image/image_metadata.h"

namespace pblur {

// The ICC profile (tag 34675), XMP packet (700), Photoshop image resources with their IPTC
// (34377, else the IPTC records of 33723 made one) and resolution (282, 283, 296) of the directory
// `tiff` has read. EXIF is not read from TIFF: its EXIF IFD's tags are not one block to copy.
ImageMetadata tiff_metadata_of(TIFF* tiff);

// Sets those tags from `metadata` before the first row is written; false if libtiff refuses one.
bool set_tiff_metadata(TIFF* tiff, const ImageMetadata& metadata);

}  // namespace pblur
