#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace pblur {

// Reads numbers and text at offsets in a file's bytes; a byte past the end reads as 0, so callers
// check has() wherever a short file must not pass for zeros.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> bytes) : bytes_(bytes) {}
  std::size_t size() const { return bytes_.size(); }
  const std::byte* data() const { return bytes_.data(); }
  bool has(std::size_t at, std::size_t n) const { return at <= size() && n <= size() - at; }
  unsigned byte(std::size_t at) const { return has(at, 1) ? unsigned(bytes_[at]) : 0u; }
  std::uint32_t be16(std::size_t at) const { return byte(at) << 8 | byte(at + 1); }
  std::uint32_t be32(std::size_t at) const { return be16(at) << 16 | be16(at + 2); }
  std::uint64_t be64(std::size_t at) const { return std::uint64_t{be32(at)} << 32 | be32(at + 4); }
  std::uint32_t le16(std::size_t at) const { return byte(at) | byte(at + 1) << 8; }
  std::uint32_t le32(std::size_t at) const { return le16(at) | le16(at + 2) << 16; }
  bool matches(std::size_t at, std::string_view text) const {
    return has(at, text.size()) && std::memcmp(bytes_.data() + at, text.data(), text.size()) == 0;
  }

 private:
  std::span<const std::byte> bytes_;
};

// The C library's isspace in the "C" locale, which OpenCV's header parsers use.
inline bool is_c_space(unsigned c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

inline bool is_digit(unsigned c) {
  return c >= '0' && c <= '9';
}

}  // namespace pblur
