#include "core/image/jpeg_quality.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace pblur {
namespace {

using Table = std::array<int, DCTSIZE2>;

// Annex K of the JPEG standard, as libjpeg's jcparam.c has them (natural order).
constexpr Table kLuminance = {16,  11,  10,  16,  24, 40, 51,  61,  12,  12,  14,  19,  26,
                              58,  60,  55,  14,  13, 16, 24,  40,  57,  69,  56,  14,  17,
                              22,  29,  51,  87,  80, 62, 18,  22,  37,  56,  68,  109, 103,
                              77,  24,  35,  55,  64, 81, 104, 113, 92,  49,  64,  78,  87,
                              103, 121, 120, 101, 72, 92, 95,  98,  112, 100, 103, 99};
constexpr Table kChrominance = {17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
                                24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
                                99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
                                99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

// jpeg_quality_scaling and jpeg_add_quant_table with force_baseline, as cjpeg writes them.
int scaled(int base, int quality) {
  const long scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  return int(std::clamp((base * scale + 50) / 100, 1L, 255L));
}

long distance(const JQUANT_TBL& table, const Table& base, int quality) {
  long sum = 0;
  for (int k = 0; k < DCTSIZE2; ++k)
    sum += std::labs(long(table.quantval[k]) - scaled(base[k], quality));
  return sum;
}

}  // namespace

// ImageMagick's way (coders/jpeg.c, JPEGSetImageQuality): an encoder that scales the standard
// tables by a quality leaves that quality recognisable in them. Where ImageMagick compares the
// tables' sums with precomputed ones, this scales Annex K's luminance table (and the
// chrominance table when the file has one) for every quality from 1 to 100 and keeps the
// quality with the smallest summed difference, the highest on a tie: exact for any IJG-made
// JPEG, the nearest match for the others.
std::optional<int> estimate_jpeg_quality(const jpeg_decompress_struct& info) {
  const JQUANT_TBL* luminance = info.quant_tbl_ptrs[0];
  if (!luminance) return std::nullopt;
  const JQUANT_TBL* chrominance = info.num_components > 1 ? info.quant_tbl_ptrs[1] : nullptr;
  int best = 0;
  long best_distance = std::numeric_limits<long>::max();
  for (int quality = 1; quality <= 100; ++quality) {
    long d = distance(*luminance, kLuminance, quality);
    if (chrominance) d += distance(*chrominance, kChrominance, quality);
    if (d <= best_distance) {
      best_distance = d;
      best = quality;
    }
  }
  return best;
}

}  // namespace pblur
