#include "core/backends/row_feeder.h"

#include <algorithm>
#include <cstring>

namespace pblur {

RowFeeder::RowFeeder(RowReader& reader, int radius)
    : reader_(reader), radius_(radius), row_bytes_(reader.layout().row_bytes()) {}

void RowFeeder::feed(const Strip& strip, std::byte* dst, std::size_t stride) {
  int row = strip.context_begin;
  for (; row < std::min(carry_end_, strip.context_end); ++row) {
    std::memcpy(dst + std::size_t(row - strip.context_begin) * stride,
                carry_.data() + std::size_t(row - carry_begin_) * row_bytes_, row_bytes_);
  }
  if (row < strip.context_end) {
    reader_.read_rows(dst + std::size_t(row - strip.context_begin) * stride, stride,
                      strip.context_end - row);
  }
  keep_carry(strip, dst, stride);
}

void RowFeeder::keep_carry(const Strip& strip, const std::byte* dst, std::size_t stride) {
  // The next strip reads from `strip.end - radius` on.
  const int begin = std::max(strip.context_begin, strip.end - radius_);
  const int end = strip.context_end;
  carry_.resize(std::size_t(end - begin) * row_bytes_);
  for (int row = begin; row < end; ++row) {
    std::memcpy(carry_.data() + std::size_t(row - begin) * row_bytes_,
                dst + std::size_t(row - strip.context_begin) * stride, row_bytes_);
  }
  carry_begin_ = begin;
  carry_end_ = end;
}

}  // namespace pblur
