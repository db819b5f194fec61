#pragma once

#include <optional>

#include "core/image/jpeg_error.h"

namespace pblur {

// The IJG quality (1-100) whose tables come closest to the quantisation tables of a JPEG
// whose header has been read; nullopt when it has no luminance table.
std::optional<int> estimate_jpeg_quality(const jpeg_decompress_struct& info);

}  // namespace pblur
