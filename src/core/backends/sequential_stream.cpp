#include "core/backends/sequential_stream.h"

#include <algorithm>
#include <chrono>

#include "core/backends/row_feeder.h"
#include "core/backends/stage_clock.h"
#include "core/backends/stream_plan.h"
#include "core/backends/strip_slots.h"
#include "core/base/errors.h"
#include "core/filters/filters.h"

namespace pblur {
namespace {

// A strip's rows add up to about this many bytes: tall enough that the context rows filtered
// twice are a small share of the work, short enough that a wide image holds a few megabytes.
constexpr std::size_t kStripBytes = std::size_t{4} << 20;

// Rows of a strip: about kStripBytes, at least four times the radius, at most the image's.
std::size_t strip_rows_for(const RowLayout& layout, int radius) {
  const std::size_t fit = kStripBytes / std::max<std::size_t>(layout.row_bytes(), 1);
  const std::size_t rows = std::size_t(std::max(layout.height, 1));
  return std::min(std::max<std::size_t>({fit, std::size_t(4 * radius), 1}), rows);
}

// Strips of strip_rows_for's height (or `requested_strips`), held one at a time.
StreamPlan one_strip_at_a_time(const RowLayout& layout, int radius, int requested_strips) {
  const int rows = std::max(layout.height, 1);
  const std::size_t strip_rows = strip_rows_for(layout, radius);
  const int strips = requested_strips > 0 ? requested_strips
                                          : int((std::size_t(rows) + strip_rows - 1) / strip_rows);
  StreamPlan plan = StreamPlan::make(rows, radius, 1, strips);
  plan.in_flight = 1;
  return plan;
}

}  // namespace

std::uint64_t sequential_stream_bytes(const RowLayout& layout, int radius) {
  const std::uint64_t strip_rows = strip_rows_for(layout, radius);
  return (2 * strip_rows + 2 * std::uint64_t(radius)) * layout.row_bytes();
}

StreamStats stream_sequentially(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                                const StreamOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const RowLayout& layout = reader.layout();
  const int depth = layout.bits == 16 ? CV_16U : CV_8U;
  validate(spec, depth);
  const StreamPlan plan = one_strip_at_a_time(layout, filter_radius(spec, depth), options.strips);
  const StripSlots slots(plan, layout, nullptr);
  RowFeeder feeder(reader, plan.radius);
  StageClocks clocks;
  StreamProgress progress{0, layout.height, layout.row_bytes()};
  for (const Strip& strip : plan.strips) {
    if (options.stop.stop_requested()) throw Interrupted("stopped while streaming");
    const cv::Mat context = slots.context(strip);
    cv::Mat out = slots.output(strip);
    clocks.decoding.time(
        [&] { feeder.feed(strip, reinterpret_cast<std::byte*>(context.data), context.step[0]); });
    clocks.filtering.time([&] { filter_strip(spec, context, strip, layout.height, out); });
    clocks.encoding.time([&] {
      writer.write_rows(reinterpret_cast<const std::byte*>(out.data), out.step[0], out.rows);
    });
    progress.rows_done = strip.end;
    if (options.on_rows) options.on_rows(progress);
  }
  clocks.encoding.time([&] { writer.finish(); });
  StreamStats stats = clocks.stats(plan, slots.bytes());
  stats.wall = std::chrono::steady_clock::now() - start;
  return stats;
}

}  // namespace pblur
