#pragma once

#include <cstddef>
#include <cstdio>
#include <span>

namespace pblur {

// Bytes read in order from a FILE* (which the caller keeps open) or from memory (which must
// outlive the source), for the formats pblur parses itself.
class ByteSource {
 public:
  explicit ByteSource(std::FILE* file) : file_(file) {}
  explicit ByteSource(std::span<const std::byte> bytes) : memory_(bytes) {}

  // The next byte, or -1 at the end.
  int get();
  // Reads up to `count` bytes into dst; returns how many there were.
  std::size_t read(std::byte* dst, std::size_t count);

 private:
  std::FILE* file_ = nullptr;
  std::span<const std::byte> memory_;
  std::size_t at_ = 0;
};

}  // namespace pblur
