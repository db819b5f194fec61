#pragma once

#include <cstdint>

namespace pblur {

// The sRGB transfer curve (IEC 61966-2-1) between stored samples and 16-bit linear light, by
// table: the same integers in every process, so strips and whole images agree.
std::uint16_t srgb8_to_linear16(std::uint8_t sample);
std::uint16_t srgb16_to_linear16(std::uint16_t sample);
std::uint8_t linear16_to_srgb8(std::uint16_t light);
std::uint16_t linear16_to_srgb16(std::uint16_t light);

}  // namespace pblur
