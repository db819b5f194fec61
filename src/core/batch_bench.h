#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/batch_plan.h"
#include "core/batch_runner.h"
#include "core/bench.h"
#include "core/image_io.h"
#include "core/process_runtime.h"

namespace pblur {

// One way `pblur batch` can filter a folder, at one worker count. The sequential reference is
// measured in every group, alongside the others.
struct BatchBenchConfig {
  BackendKind backend = BackendKind::sequential;
  SplitMode split = SplitMode::images;
  int workers = 1;        // 1 for the sequential reference
  int group_workers = 1;  // the worker count of the group it was measured in
};

// "seq", "procs-images", "procs-strips", "threads-images", "threads-strips": also the value of
// kBenchCorruptVariable that corrupts this configuration's outputs.
std::string batch_bench_label(const BatchBenchConfig& config);

struct RateStats {
  double median = 0;
  double min = 0;
  double max = 0;
};

struct BatchBenchResult {
  BatchBenchConfig config;
  // The first run, untimed for the statistics.
  std::optional<std::chrono::nanoseconds> cold;
  std::vector<std::chrono::nanoseconds> samples;  // the timed runs, each the whole folder
  // Set when a file failed or an output differed from the sequential one's bytes; then nothing
  // below is a timing.
  std::string error;

  DurationStats elapsed;           // over `samples`
  RateStats images_per_second;     // the folder's image count over `elapsed`
  double input_mb_per_second = 0;  // input file bytes (10^6) over the median
  double speedup = 0;              // seq's median over this one's, seq of the same group
  // Processes: this median against the threads' with the same split and workers (> 1: slower).
  std::optional<double> procs_threads_ratio;

  bool ok() const { return error.empty(); }
};

struct BatchBenchFolder {
  std::string path;
  std::size_t images = 0;
  std::uint64_t input_bytes = 0;
};

struct BatchBenchReport {
  BenchContext context;  // `image` describes the first image of the folder
  BatchBenchFolder folder;
  std::vector<BatchBenchResult> results;  // by group, seq first

  bool ok() const;
  const BatchBenchResult* find(BackendKind backend, SplitMode split, int group_workers) const;
};

struct BatchBenchProgress {
  int done = 0;
  int total = 0;
  BatchBenchConfig config;  // of the run just done
};

struct BatchBenchOptions {
  FilterChain spec;
  LoadOptions load;
  std::string folder;              // for the report
  std::vector<int> worker_counts;  // empty: default_worker_counts()
  int repeat = 0;                  // timed runs per configuration; 0: automatic
  int warmup = 1;                  // untimed runs per configuration after the cold one
  std::function<void(const BatchBenchProgress&)> on_progress;
  // When this turns true, run_batch_bench stops within milliseconds and throws Interrupted.
  const std::atomic<bool>* stop = nullptr;
};

// Filters `items` (their `output` is not used) with every configuration, as `pblur batch` does,
// each configuration writing into its own subfolder of a temporary folder that is removed at the
// end; every output file must be the same bytes as the sequential run's. `runtime` must have been
// created before any thread. Throws UsageError for bad options, InputError if the first image
// cannot be read, OutputError if the temporary folder cannot be made, Interrupted (after removing
// the temporary folder) when `stop` turns true; a failed file or a mismatch is recorded in its
// configuration's `error`, not thrown.
BatchBenchReport run_batch_bench(ProcessRuntime& runtime, std::span<const BatchItem> items,
                                 const BatchBenchOptions& options);

}  // namespace pblur
