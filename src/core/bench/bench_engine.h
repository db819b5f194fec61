#pragma once

#include <functional>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/bench/bench_config.h"
#include "core/bench/bench_report.h"
#include "core/filters/filter_spec.h"

namespace pblur {

struct BenchProgress {
  int done = 0;
  int total = 0;
  BenchConfig config;  // of the run just done
  // Which round it was in: "cold", "warm-up" or "timed", the `round`th of `rounds` of that kind.
  std::string_view stage;
  int round = 1;
  int rounds = 1;
  const BenchSample* sample = nullptr;  // what the run measured; null when it failed
};

struct BenchOptions {
  FilterChain spec;
  std::vector<int> worker_counts;  // empty: default_worker_counts()
  int repeat = 0;                  // timed runs per configuration; 0: automatic
  int warmup = 1;                  // untimed runs per configuration after the cold one
  int strips = 0;                  // on an image: strips per run, 0: one per worker
  std::function<void(const BenchProgress&)> on_progress;
  // Called before the first run of a workload, with the report's context and what it measures.
  std::function<void(const BenchContext&, std::span<const BenchConfig>)> on_start;
  // When a stop is requested, the benchmark stops within milliseconds and throws Interrupted.
  std::stop_token stop;
  // Test hook: every output of a configuration for which this returns true is altered after its
  // run, before the check, so that a mismatch is seen reported.
  std::function<bool(const BenchConfig&)> corrupt_output;
};

// One configuration in one group, run as many times as the engine asks.
class BenchTrial {
 public:
  virtual ~BenchTrial() = default;
  // Untimed, before each run.
  virtual void prepare() {}
  // One run, timed by the engine, which fills in `job` and the parent's peak. Throws what the
  // filtering throws: a std::runtime_error or cv::Exception is this configuration's error.
  virtual BenchSample run() = 0;
  // Alters the output of the last run (see BenchOptions::corrupt_output).
  virtual void corrupt_output() = 0;
  // Why the output of the last run differs from the sequential reference's, or "". The
  // sequential reference's first check records its output as the reference.
  virtual std::string check_output() = 0;
};

// What one run of a benchmark does: filter an image in memory, or a folder.
class BenchWorkload {
 public:
  virtual ~BenchWorkload() = default;
  // Measured in this order in every round, the sequential reference first.
  virtual std::span<const BenchConfig> configs() const = 0;
  // A trial of `config`, whose workers and group are set. Trials of one group are made in the
  // order of configs() and live until the group is done.
  virtual std::unique_ptr<BenchTrial> trial(const BenchConfig& config) = 0;
};

// Throws UsageError for a negative repeat or warm-up count, or a filter that `depth` cannot take.
void validate_bench_options(const BenchOptions& options, int depth);

// For each worker count of `report.context`, runs every configuration of `workload` once cold,
// then in warm-up and timed rounds, checking each output against the sequential one's; then
// fills in each row's statistics and its ratios to the baselines of its group. A failed run or a
// mismatch is its row's error; Interrupted is thrown when `options.stop` turns true.
void run_bench_engine(BenchWorkload& workload, const BenchOptions& options, BenchReport& report);

}  // namespace pblur
