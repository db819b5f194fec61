#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/backends/stream_plan.h"
#include "core/backends/stream_stats.h"

namespace pblur {

// Busy time of one pipeline stage, summed over every thread that runs it.
class StageClock {
 public:
  template <class Work>
  decltype(auto) time(Work&& work) {
    const auto start = std::chrono::steady_clock::now();
    struct Record {
      StageClock& clock;
      std::chrono::steady_clock::time_point start;
      ~Record() { clock.add(std::chrono::steady_clock::now() - start); }
    } record{*this, start};
    return work();
  }

  void add(std::chrono::nanoseconds busy) { busy_ns_ += busy.count(); }
  std::chrono::nanoseconds busy() const { return std::chrono::nanoseconds(busy_ns_.load()); }

 private:
  std::atomic<long long> busy_ns_{0};
};

// The busy time of a streamed run's three stages, and what they add up to.
struct StageClocks {
  StageClock decoding;
  StageClock filtering;
  StageClock encoding;

  StreamStats stats(const StreamPlan& plan, std::uint64_t window_bytes) const {
    StreamStats stats;
    stats.decode = decoding.busy();
    stats.filter = filtering.busy();
    stats.encode = encoding.busy();
    stats.strips = plan.strips.size();
    stats.in_flight = plan.in_flight;
    stats.window_bytes = window_bytes;
    return stats;
  }
};

}  // namespace pblur
