#pragma once

#include <cstddef>
#include <vector>

#include "core/filters/strip_plan.h"
#include "core/image/row_codec.h"

namespace pblur {

// Hands each strip, in order, the rows it reads: its own rows and its context rows. A row is
// decoded once; context rows that the previous strip also read are copied from a carry of the
// last rows decoded, so only a few rows are held between strips.
class RowFeeder {
 public:
  RowFeeder(RowReader& reader, int radius);

  // Writes rows [strip.context_begin, strip.context_end) to dst, dst + stride, ... Strips come
  // in order. Throws CodecError if the file is corrupt or ends early.
  void feed(const Strip& strip, std::byte* dst, std::size_t stride);

 private:
  void keep_carry(const Strip& strip, const std::byte* dst, std::size_t stride);

  RowReader& reader_;
  int radius_;
  std::size_t row_bytes_;
  std::vector<std::byte> carry_;  // rows [carry_begin_, carry_end_), packed
  int carry_begin_ = 0;
  int carry_end_ = 0;
};

}  // namespace pblur
