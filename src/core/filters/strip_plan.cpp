#include "core/filters/strip_plan.h"

#include <algorithm>
#include <string>

#include "core/base/errors.h"

namespace pblur {

StripPlan::StripPlan(int rows, int requested_strips, int radius) {
  if (rows < 1) throw UsageError("an image has at least one row");
  if (requested_strips < 1) {
    throw UsageError("the strip count must be at least 1, got " + std::to_string(requested_strips));
  }
  if (radius < 0) throw UsageError("a filter radius is never negative");
  const int count = std::min(rows, requested_strips);
  const int base = rows / count;
  const int taller = rows % count;  // the first `taller` strips get one extra row
  strips_.reserve(static_cast<std::size_t>(count));
  int next = 0;
  for (int i = 0; i < count; ++i) {
    Strip strip;
    strip.index = i;
    strip.begin = next;
    strip.end = next + base + (i < taller ? 1 : 0);
    strip.context_begin = std::max(0, strip.begin - radius);
    strip.context_end = std::min(rows, strip.end + radius);
    strips_.push_back(strip);
    next = strip.end;
  }
}

}  // namespace pblur
