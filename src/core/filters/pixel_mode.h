#pragma once

#include <type_traits>

namespace pblur {

// How gaussian and box treat an alpha channel: premultiplied colour keeps fully transparent
// pixels' colour out of their neighbours; straight filters every channel on its own.
enum class AlphaMode : int { premultiplied, straight };

// The pixel space the blurs of a chain work in. Plain data: it travels with the FilterChain.
struct PixelMode {
  AlphaMode alpha = AlphaMode::premultiplied;
  bool linear = false;  // decode the sRGB curve before a blur, encode it after
};
static_assert(std::is_trivially_copyable_v<PixelMode>);

}  // namespace pblur
