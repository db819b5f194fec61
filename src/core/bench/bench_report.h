#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/backends/backend.h"
#include "core/bench/bench_config.h"
#include "core/bench/bench_context.h"
#include "core/bench/bench_stats.h"

namespace pblur {

// One run of one configuration. On a folder only `job` and the parent's peak are measured.
struct BenchSample {
  std::chrono::nanoseconds job{0};  // the whole run: a decoded image filtered, or a folder done
  PhaseTimes phases;
  std::uint64_t queue_bytes = 0;
  int workers_replaced = 0;
  long parent_peak_rss_kb = 0;   // pblur's own process during this run
  long workers_peak_rss_kb = 0;  // processes: the largest a worker reported after a strip
  // Streamed: how long decoding and encoding were busy (filtering is phases.filter, summed over
  // the workers).
  std::chrono::nanoseconds decode{0};
  std::chrono::nanoseconds encode{0};
  // Streamed: from the first row decoded to the last encoded; `job` adds opening the files and
  // committing the output.
  std::chrono::nanoseconds pipeline{0};
};

// One configuration's runs and what they come to.
struct BenchRow {
  BenchConfig config;
  // The first run, untimed for the statistics: for processes on an image it forks the pool.
  std::optional<BenchSample> cold;
  std::vector<BenchSample> samples;  // the timed runs, in order
  // Set when a run failed or its output differed from the sequential one's; then nothing below
  // is a timing.
  std::string error;

  // Over `samples`:
  DurationStats job;
  DurationStats filter;
  DurationStats send;
  DurationStats collect;
  DurationStats decode;    // streamed
  DurationStats encode;    // streamed
  DurationStats pipeline;  // streamed
  // Streamed: the median busy times of decoding, filtering and encoding, summed, over the median
  // pipeline time: above 1 when the stages overlap.
  double overlap = 0;
  RateStats images_per_second;     // the input's images over `job`
  double input_mb_per_second = 0;  // the input's bytes (10^6) over the median job
  std::uint64_t queue_bytes = 0;   // of the last timed run
  long parent_peak_rss_kb = 0;     // the largest over all runs, cold included
  // Processes: the largest peak resident set a worker reported, counting the shared pages it
  // had touched (the image strips it read and wrote).
  long workers_peak_rss_kb = 0;
  // Medians against the sequential reference of the same group.
  double speedup = 0;         // of the whole job
  double filter_speedup = 0;  // of the filter phase
  double efficiency = 0;      // speedup / workers
  // Processes: the job's median against the threads' with the same split and worker count
  // (> 1: slower).
  std::optional<double> procs_threads_ratio;

  bool ok() const { return error.empty(); }
  bool measured() const { return ok() && !samples.empty(); }
};

struct BenchReport {
  BenchContext context;
  // By group, then in the order each round runs them, seq first; on an image the streamed rows
  // follow the in-memory ones, in the same order.
  std::vector<BenchRow> rows;

  bool ok() const;
  // The row of the configuration labelled `label` (see bench_label) in the group of
  // `group_workers`, streamed or in memory, or null.
  const BenchRow* find(std::string_view label, int group_workers, bool streamed = false) const;
};

}  // namespace pblur
