#include "core/bench/bench_stats.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/base/errors.h"
#include "core/os/machine_info.h"

namespace pblur {

DurationStats duration_stats(std::vector<std::chrono::nanoseconds> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  const auto median =
      values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  return {median, values.front(), values.back()};
}

RateStats rate_stats(double count, const DurationStats& times) {
  const auto per_second = [count](std::chrono::nanoseconds time) {
    const double seconds = std::chrono::duration<double>(time).count();
    return seconds > 0 ? count / seconds : 0;
  };
  return {per_second(times.median), per_second(times.max), per_second(times.min)};
}

double duration_ratio(std::chrono::nanoseconds numerator, std::chrono::nanoseconds denominator) {
  if (denominator.count() <= 0) return 0;
  return static_cast<double>(numerator.count()) / static_cast<double>(denominator.count());
}

std::vector<int> default_worker_counts(int cores) {
  cores = std::max(cores, 1);
  std::vector<int> counts;
  for (int count = 1; count <= 2 * cores; count *= 2) counts.push_back(count);
  counts.push_back(cores);
  counts.push_back(2 * cores);
  return checked_worker_counts(counts);
}

std::vector<int> checked_worker_counts(std::vector<int> counts) {
  if (counts.empty()) counts = default_worker_counts(usable_cpu_count());
  for (const int count : counts) {
    if (count < 1 || count > kMaxBenchWorkers) {
      throw UsageError("worker counts must be between 1 and " + std::to_string(kMaxBenchWorkers) +
                       ", not " + std::to_string(count));
    }
  }
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  return counts;
}

int automatic_repeat(std::chrono::nanoseconds sequential) {
  constexpr double kSecondsPerGroup = 3.0;
  const double seconds = std::chrono::duration<double>(sequential).count();
  if (seconds <= 0) return 50;
  return static_cast<int>(std::clamp(std::ceil(kSecondsPerGroup / seconds), 5.0, 50.0));
}

int planned_runs(int configurations, int warmup, int repeat, std::size_t worker_counts) {
  return configurations * (1 + warmup + repeat) * static_cast<int>(worker_counts);
}

}  // namespace pblur
