#include "core/filters/linear_light.h"

#include <array>
#include <cmath>
#include <cstddef>

namespace pblur {
namespace {

double decode_srgb(double encoded) {
  return encoded <= 0.04045 ? encoded / 12.92 : std::pow((encoded + 0.055) / 1.055, 2.4);
}

double encode_srgb(double light) {
  return light <= 0.0031308 ? light * 12.92 : 1.055 * std::pow(light, 1.0 / 2.4) - 0.055;
}

// A table of `Size` entries: entry i is round(to_max * curve(i / from_max)).
template <class Sample, std::size_t Size>
std::array<Sample, Size> curve_table(double (*curve)(double), double to_max) {
  std::array<Sample, Size> table{};
  const double from_max = double(Size - 1);
  for (std::size_t i = 0; i < Size; ++i) {
    table[i] = Sample(std::lround(to_max * curve(double(i) / from_max)));
  }
  return table;
}

}  // namespace

std::uint16_t srgb8_to_linear16(std::uint8_t sample) {
  static const auto table = curve_table<std::uint16_t, 256>(decode_srgb, 65535.0);
  return table[sample];
}

std::uint16_t srgb16_to_linear16(std::uint16_t sample) {
  static const auto table = curve_table<std::uint16_t, 65536>(decode_srgb, 65535.0);
  return table[sample];
}

std::uint8_t linear16_to_srgb8(std::uint16_t light) {
  static const auto table = curve_table<std::uint8_t, 65536>(encode_srgb, 255.0);
  return table[light];
}

std::uint16_t linear16_to_srgb16(std::uint16_t light) {
  static const auto table = curve_table<std::uint16_t, 65536>(encode_srgb, 65535.0);
  return table[light];
}

}  // namespace pblur
