#pragma once

#include <cstddef>
#include <vector>

namespace pblur {

// Rows [begin, end) of the image that one strip produces, and rows
// [context_begin, context_end) that it must read to produce them.
struct Strip {
  int index = 0;
  int begin = 0;
  int end = 0;
  int context_begin = 0;
  int context_end = 0;

  int rows() const { return end - begin; }
  int context_rows() const { return context_end - context_begin; }
};

// Horizontal strips that together cover every row of an image exactly once.
class StripPlan {
 public:
  // At most `rows` strips, as even as possible (sizes differ by at most one row), each
  // widened by `radius` context rows on both sides, clipped to the image.
  StripPlan(int rows, int requested_strips, int radius);

  std::size_t size() const { return strips_.size(); }
  const Strip& operator[](std::size_t i) const { return strips_[i]; }
  auto begin() const { return strips_.begin(); }
  auto end() const { return strips_.end(); }

 private:
  std::vector<Strip> strips_;
};

}  // namespace pblur
