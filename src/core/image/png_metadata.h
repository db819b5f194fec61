#pragma once

#include <string>

#include <png.h>

#include "core/image/image_metadata.h"

namespace pblur {

// The eXIf, iCCP, XMP iTXt and pHYs chunks read with the header (IPTC has no PNG chunk).
ImageMetadata png_metadata_of(png_structp png, png_infop info);

// Sets those chunks from `metadata` before png_write_info (inside png_guarded); `xmp_text` is
// metadata.xmp as a NUL-terminated string, made beforehand (libpng measures it with strlen).
void set_png_metadata(png_structp png, png_infop info, const ImageMetadata& metadata,
                      const std::string& xmp_text);

}  // namespace pblur
