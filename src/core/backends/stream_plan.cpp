#include "core/backends/stream_plan.h"

#include <algorithm>

namespace pblur {
namespace {

constexpr int kMinimumStripRows = 32;

int default_strip_count(int rows, int radius) {
  const int strip_rows = std::max(kMinimumStripRows, 4 * radius);
  return (rows + strip_rows - 1) / strip_rows;
}

}  // namespace

StreamPlan StreamPlan::make(int rows, int radius, int workers, int requested_strips) {
  const int count = requested_strips > 0 ? requested_strips : default_strip_count(rows, radius);
  StreamPlan plan{StripPlan(rows, count, radius), radius, 0, 0};
  for (const Strip& strip : plan.strips) plan.strip_rows = std::max(plan.strip_rows, strip.rows());
  // Two strips per worker keep every worker busy while the next strips are decoded, plus one
  // being decoded and one being encoded.
  plan.in_flight = static_cast<int>(
      std::min<std::size_t>(plan.strips.size(), std::size_t(2 * std::max(1, workers) + 2)));
  return plan;
}

}  // namespace pblur
