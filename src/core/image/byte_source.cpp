#include "core/image/byte_source.h"

#include <algorithm>
#include <cstring>

namespace pblur {

int ByteSource::get() {
  if (file_) return std::getc(file_);
  if (at_ == memory_.size()) return -1;
  return int(memory_[at_++]);
}

std::size_t ByteSource::read(std::byte* dst, std::size_t count) {
  if (file_) return std::fread(dst, 1, count, file_);
  const std::size_t n = std::min(count, memory_.size() - at_);
  std::memcpy(dst, memory_.data() + at_, n);
  at_ += n;
  return n;
}

}  // namespace pblur
