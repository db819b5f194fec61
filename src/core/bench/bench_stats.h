#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace pblur {

struct DurationStats {
  std::chrono::nanoseconds median{0};
  std::chrono::nanoseconds min{0};
  std::chrono::nanoseconds max{0};
};

DurationStats duration_stats(std::vector<std::chrono::nanoseconds> values);

struct RateStats {
  double median = 0;
  double min = 0;
  double max = 0;
};

// `count` per second over each of `times`: the least rate comes from the longest time.
RateStats rate_stats(double count, const DurationStats& times);

// numerator / denominator, 0 when the denominator is not positive.
double duration_ratio(std::chrono::nanoseconds numerator, std::chrono::nanoseconds denominator);

// The largest worker count a benchmark accepts.
inline constexpr int kMaxBenchWorkers = 256;

// 1, 2, 4, ... up to twice `cores`, with `cores` and twice `cores` themselves.
std::vector<int> default_worker_counts(int cores);

// `counts` sorted without repeats, or default_worker_counts() of the usable CPUs when empty.
// Throws UsageError naming a count out of range.
std::vector<int> checked_worker_counts(std::vector<int> counts);

// Timed runs per configuration for a sequential run of `sequential`: enough for about three
// seconds of sequential filtering per group, at least 5 and at most 50.
int automatic_repeat(std::chrono::nanoseconds sequential);

// Runs a whole bench makes: each of `configurations` once cold, `warmup` and `repeat` times more,
// for each of `worker_counts` worker counts.
int planned_runs(int configurations, int warmup, int repeat, std::size_t worker_counts);

}  // namespace pblur
