#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "core/backend.h"
#include "core/filter_spec.h"
#include "core/machine_info.h"
#include "core/process_runtime.h"

namespace pblur {

// What `pblur bench` compares: the sequential reference, oneTBB threads, and worker processes
// with each transport.
enum class BenchBackend { sequential, threads, procs_shared, procs_copy };

inline constexpr BenchBackend kBenchBackends[] = {BenchBackend::sequential, BenchBackend::threads,
                                                  BenchBackend::procs_shared,
                                                  BenchBackend::procs_copy};

// "seq", "threads", "procs-shared", "procs-copy"
std::string_view bench_backend_name(BenchBackend backend);
bool is_process_backend(BenchBackend backend);

// One backend at one worker count. Configurations are measured in groups, one per worker
// count; the sequential reference is measured in every group, alongside the others.
struct BenchConfig {
  BenchBackend backend = BenchBackend::sequential;
  int workers = 1;        // 1 for the sequential reference
  int group_workers = 1;  // the worker count of the group it was measured in
};

// One run of one configuration.
struct BenchSample {
  std::chrono::nanoseconds job{0};  // the whole in-memory job: decoded image to filtered image
  PhaseTimes phases;
  std::uint64_t queue_bytes = 0;
  int workers_replaced = 0;
  long parent_peak_rss_kb = 0;   // pblur's own process during this run
  long workers_peak_rss_kb = 0;  // processes: the largest a worker reported after a strip
};

struct DurationStats {
  std::chrono::nanoseconds median{0};
  std::chrono::nanoseconds min{0};
  std::chrono::nanoseconds max{0};
};

DurationStats duration_stats(std::vector<std::chrono::nanoseconds> values);

struct BenchConfigResult {
  BenchConfig config;
  // The first run, untimed for the statistics: for processes it forks the pool.
  std::optional<BenchSample> cold;
  std::vector<BenchSample> samples;  // the timed runs, in order
  // Set when a run failed or its output differed from the sequential one; then nothing below
  // is a timing.
  std::string error;

  // Over `samples`:
  DurationStats job;
  DurationStats filter;
  DurationStats send;
  DurationStats collect;
  std::uint64_t queue_bytes = 0;  // of the last timed run
  long parent_peak_rss_kb = 0;    // the largest over all runs, cold included
  // Processes: the largest peak resident set a worker reported, counting the shared pages it
  // had touched (the image strips it read and wrote).
  long workers_peak_rss_kb = 0;
  // Medians against the sequential reference of the same group.
  double speedup = 0;         // of the whole job
  double filter_speedup = 0;  // of the filter phase
  double efficiency = 0;      // speedup / workers
  // Processes: the job's median against the threads' at the same worker count (> 1: slower).
  std::optional<double> procs_threads_ratio;

  bool ok() const { return error.empty(); }
};

struct BenchImage {
  int width = 0;
  int height = 0;
  int channels = 0;
  int depth_bits = 0;
};

// Everything a reader needs to judge the numbers.
struct BenchContext {
  MachineInfo machine;
  std::string pblur_version;
  std::string opencv_version;
  std::string onetbb_version;
  std::string build_type;  // "release" or "debug" (assertions on)
  BenchImage image;
  FilterChain spec;
  std::string filter;  // e.g. "gaussian sigma=8 ksize=49 border=reflect101"
  std::vector<int> worker_counts;
  int repeat = 0;
  bool repeat_automatic = false;
  int warmup = 0;
  bool parent_peak_per_run = false;  // false: the peak covers pblur's whole life so far
  std::string fork_safety;           // how forking and oneTBB threads are kept apart
  std::string pool_lifetime;         // when worker pools are made and what the cold run includes
  std::string order;                 // how runs are interleaved
  std::string input;                 // where each job's input image lies
};

struct BenchProgress {
  int done = 0;
  int total = 0;
  BenchConfig config;  // of the run just done
};

struct BenchOptions {
  FilterChain spec;
  std::vector<int> worker_counts;  // empty: default_worker_counts()
  int repeat = 0;                  // timed runs per configuration; 0: automatic
  int warmup = 1;                  // untimed runs per configuration after the cold one
  int strips = 0;                  // 0: one per worker
  std::function<void(const BenchProgress&)> on_progress;
};

struct BenchReport {
  BenchContext context;
  std::vector<BenchConfigResult> results;  // by group, then in kBenchBackends order

  bool ok() const;
  const BenchConfigResult* find(BenchBackend backend, int group_workers) const;
};

// 1, 2, 4, ... up to twice `cores`, with `cores` and twice `cores` themselves.
std::vector<int> default_worker_counts(int cores);

// Timed runs per configuration for a sequential run of `sequential`: enough for about three
// seconds of sequential filtering per group, at least 5 and at most 50.
int automatic_repeat(std::chrono::nanoseconds sequential);

// Runs a whole bench makes: each of `configurations` once cold, `warmup` and `repeat` times more,
// for each of `worker_counts` worker counts.
int planned_runs(int configurations, int warmup, int repeat, std::size_t worker_counts);

// Why an output differs from the reference, or "" if it is the same bytes.
std::string compare_with_reference(const cv::Mat& reference, const cv::Mat& output);

// Environment variable naming a backend whose every output gets one pixel flipped after its
// run, before the check: lets tests see a mismatch reported. Never set it otherwise.
inline constexpr const char* kBenchCorruptVariable = "PBLUR_BENCH_CORRUPT";

// The machine, versions, filter and run counts of a benchmark, and how forking is kept safe; the
// input and the order of runs are the caller's to fill in. Throws UsageError for a worker count
// out of range.
BenchContext make_bench_context(const FilterChain& spec, int depth,
                                const std::vector<int>& worker_counts, int repeat, int warmup);

// numerator / denominator, 0 when the denominator is not positive.
double duration_ratio(std::chrono::nanoseconds numerator, std::chrono::nanoseconds denominator);

// Runs every configuration on `image` and checks each output against the sequential one.
// `runtime` must have been created before any thread. Throws UsageError for bad options;
// a failed run or a mismatch is recorded in its configuration's `error`, not thrown.
BenchReport run_bench(ProcessRuntime& runtime, const cv::Mat& image, const BenchOptions& options);

}  // namespace pblur
