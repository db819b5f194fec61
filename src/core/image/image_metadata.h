#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace pblur {

// Pixels per unit, as a file's header states them.
struct Resolution {
  enum class Unit { none, inch, centimetre };  // none: only the aspect ratio is known
  Unit unit = Unit::none;
  double x = 1;
  double y = 1;

  bool operator==(const Resolution&) const = default;
};

// What a file says about its pixels besides the pixels. Readers fill what their format carries;
// writers write what is set and their format can hold. Each blob is the payload as the format
// stores it, without the container's framing: EXIF from its TIFF header on ("II*\0" or "MM\0*"),
// the ICC profile whole, XMP's packet, IPTC's IIM records (Photoshop's image resource block).
struct ImageMetadata {
  std::vector<std::byte> exif;
  std::vector<std::byte> icc;
  std::vector<std::byte> xmp;
  std::vector<std::byte> iptc;
  std::optional<Resolution> resolution;

  bool empty() const {
    return exif.empty() && icc.empty() && xmp.empty() && iptc.empty() && !resolution;
  }
  bool operator==(const ImageMetadata&) const = default;
};

}  // namespace pblur
