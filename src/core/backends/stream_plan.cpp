#include "core/backends/stream_plan.h"

#include <algorithm>

namespace pblur {
namespace {

constexpr int kMinimumStripRows = 32;
constexpr int kStripsPerWorker = 4;

int default_strip_count(int rows, int radius) {
  const int strip_rows = std::max(kMinimumStripRows, 4 * radius);
  return (rows + strip_rows - 1) / strip_rows;
}

}  // namespace

StreamPlan StreamPlan::make(int rows, int radius, int workers, int requested_strips) {
  const int count = requested_strips > 0 ? requested_strips : default_strip_count(rows, radius);
  StreamPlan plan{StripPlan(rows, count, radius), radius, 0, 0};
  for (const Strip& strip : plan.strips) plan.strip_rows = std::max(plan.strip_rows, strip.rows());
  // Four strips per worker, plus two being decoded and encoded: a strip waits in the queue and
  // for a worker to wake for several strips' decoding time on a busy machine, and with fewer
  // slots the decoder stalls on a slot the encoder has not freed yet.
  plan.in_flight = static_cast<int>(std::min<std::size_t>(
      plan.strips.size(), std::size_t(kStripsPerWorker * std::max(1, workers) + 2)));
  return plan;
}

}  // namespace pblur
