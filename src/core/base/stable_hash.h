#pragma once

#include <cstdint>
#include <string_view>

namespace pblur {

// FNV-1a, 64 bits: the same value for the same bytes on every machine, build and run (unlike
// std::hash), so that separate pblur processes agree on it.
constexpr std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325u;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3u;
  }
  return hash;
}

}  // namespace pblur
