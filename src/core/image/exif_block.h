#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace pblur {

// Checks an EXIF block (from its TIFF header on) and rewrites the tags an output must not
// repeat from its input. Throws CodecError naming the first fault when the header, IFD0 or the
// EXIF IFD points outside the block: such a block is dropped, not copied.
void check_exif_block(const std::vector<std::byte>& exif);

// Sets the orientation tag (IFD0) to 1, where there is one.
void set_exif_upright(std::vector<std::byte>& exif);

// Sets PixelXDimension and PixelYDimension (EXIF IFD) to `width` x `height`, where they are.
void set_exif_pixel_size(std::vector<std::byte>& exif, int width, int height);

}  // namespace pblur
