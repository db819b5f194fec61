#include "core/image/pnm_samples.h"

#include <bit>
#include <cstdint>
#include <utility>

namespace pblur {

namespace {

template <class Sample>
void swap_red_and_blue(std::byte* row, int width) {
  auto* pixel = reinterpret_cast<Sample*>(row);
  for (int x = 0; x < width; ++x, pixel += 3) std::swap(pixel[0], pixel[2]);
}

void swap_sample_bytes(std::byte* row, std::size_t samples) {
  for (std::size_t i = 0; i < samples; ++i) std::swap(row[2 * i], row[2 * i + 1]);
}

}  // namespace

void pnm_samples_to_opencv(std::byte* row, const RowLayout& layout) {
  if (layout.bits == 16 && std::endian::native == std::endian::little) {
    swap_sample_bytes(row, std::size_t(layout.width) * std::size_t(layout.channels));
  }
  if (layout.channels != 3) return;
  if (layout.bits == 16) {
    swap_red_and_blue<std::uint16_t>(row, layout.width);
  } else {
    swap_red_and_blue<std::uint8_t>(row, layout.width);
  }
}

}  // namespace pblur
