#pragma once

#include <cstddef>

#include "core/filters/strip_plan.h"

namespace pblur {

// How a streamed run cuts an image: many short strips, of which at most `in_flight` are held at
// once (decoded, being filtered, or waiting to be encoded), so memory is a window of rows
// whatever the image's height.
struct StreamPlan {
  StripPlan strips;
  int radius = 0;
  int strip_rows = 0;  // the tallest strip's rows
  int in_flight = 0;

  // `requested_strips` 0 picks strips of a few dozen rows, taller for a wide filter so that
  // context rows stay a small share of the work; `workers` sets how many strips are in flight.
  static StreamPlan make(int rows, int radius, int workers, int requested_strips = 0);

  // Rows of one slot: the tallest strip with its context on both sides.
  int context_rows() const { return strip_rows + 2 * radius; }
};

}  // namespace pblur
