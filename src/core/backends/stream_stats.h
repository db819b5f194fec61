#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stop_token>

namespace pblur {

// How far a streamed run is: rows encoded of the image's rows, each `row_bytes` decoded.
struct StreamProgress {
  int rows_done = 0;
  int rows = 0;
  std::size_t row_bytes = 0;
};

// What shapes a streamed run besides the filter and the backend.
struct StreamOptions {
  int strips = 0;  // 0: StreamPlan's choice
  // When a stop is requested, the run stops within a strip and throws Interrupted.
  std::stop_token stop;
  // Called after each strip is encoded, on the encoding thread.
  std::function<void(const StreamProgress&)> on_rows;
};

// How a streamed run went: its wall time and how long each stage was busy (the filter stage
// summed over its workers), so the overlap shows as busy time above wall time.
struct StreamStats {
  std::chrono::nanoseconds wall{0};
  std::chrono::nanoseconds decode{0};
  std::chrono::nanoseconds filter{0};
  std::chrono::nanoseconds encode{0};
  std::size_t strips = 0;
  int in_flight = 0;
  std::uint64_t window_bytes = 0;  // pixel memory held by the strips in flight
  std::uint64_t queue_bytes = 0;   // processes: bytes that crossed the queues, both ways
  int workers_replaced = 0;
  long workers_peak_rss_kb = 0;
};

}  // namespace pblur
