#include "core/bench.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <oneapi/tbb/version.h>
#include <opencv2/core/version.hpp>

#include "core/errors.h"
#include "core/filter_backend.h"
#include "core/peak_memory.h"

namespace pblur {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMaxBenchWorkers = 256;

// One configuration of a group, with the backend that runs it.
struct Runner {
  std::size_t result;  // index into BenchReport::results
  std::unique_ptr<FilterBackend> backend;
};

BackendChoice choice_for(const BenchConfig& config, int strips) {
  BackendChoice choice;
  choice.workers = config.workers;
  choice.strips = strips;
  switch (config.backend) {
    case BenchBackend::sequential:
      choice.kind = BackendKind::sequential;
      break;
    case BenchBackend::threads:
      choice.kind = BackendKind::threads;
      break;
    case BenchBackend::procs_shared:
      choice.kind = BackendKind::processes;
      break;
    case BenchBackend::procs_copy:
      choice.kind = BackendKind::processes;
      choice.transport = Transport::copy;
      break;
  }
  return choice;
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

BenchContext make_context(const cv::Mat& image, const BenchOptions& options) {
  BenchContext context = make_bench_context(options.spec, image.depth(), options.worker_counts,
                                            options.repeat, options.warmup);
  context.image = {image.cols, image.rows, image.channels(), image.depth() == CV_16U ? 16 : 8};
  context.pool_lifetime =
      "one worker pool per process configuration and worker count, forked in its first (cold) "
      "run and kept for its warm-up and timed runs; timed runs do not include forking";
  context.input =
      "every job starts from the decoded image: in ordinary memory, and for procs-shared in "
      "shared memory, where pblur decodes an image for that transport";
  context.order =
      "per worker count: one cold run of each configuration, then warm-up rounds, then timed "
      "rounds, each round running seq, threads, procs-shared, procs-copy once";
  return context;
}

void flip_one_pixel(cv::Mat& image) {
  if (!image.empty()) image.data[0] ^= 1;
}

bool corrupt_requested(BenchBackend backend) {
  const char* name = std::getenv(kBenchCorruptVariable);
  return name && bench_backend_name(backend) == name;
}

template <typename Get>
DurationStats stats_of(const std::vector<BenchSample>& samples, Get get) {
  std::vector<std::chrono::nanoseconds> values;
  for (const BenchSample& sample : samples) values.push_back(get(sample));
  return duration_stats(std::move(values));
}

void summarize(BenchConfigResult& result) {
  if (!result.ok() || result.samples.empty()) return;
  const auto& samples = result.samples;
  result.job = stats_of(samples, [](const BenchSample& s) { return s.job; });
  result.filter = stats_of(samples, [](const BenchSample& s) { return s.phases.filter; });
  result.send = stats_of(samples, [](const BenchSample& s) { return s.phases.send; });
  result.collect = stats_of(samples, [](const BenchSample& s) { return s.phases.collect; });
  result.queue_bytes = samples.back().queue_bytes;
}

void compare_with_baselines(BenchReport& report) {
  for (BenchConfigResult& result : report.results) {
    if (!result.ok() || result.samples.empty()) continue;
    const int group = result.config.group_workers;
    const BenchConfigResult* seq = report.find(BenchBackend::sequential, group);
    if (seq && seq->ok() && !seq->samples.empty()) {
      result.speedup = duration_ratio(seq->job.median, result.job.median);
      result.filter_speedup = duration_ratio(seq->filter.median, result.filter.median);
      result.efficiency = result.speedup / result.config.workers;
    }
    const BenchConfigResult* threads = report.find(BenchBackend::threads, group);
    if (is_process_backend(result.config.backend) && threads && threads->ok() &&
        !threads->samples.empty()) {
      result.procs_threads_ratio = duration_ratio(result.job.median, threads->job.median);
    }
  }
}

// The decoded image, and the same pixels in shared memory, where pblur decodes an image for the
// shared transport: that transport's job then starts without a copy, like pblur's own.
struct BenchInputs {
  BenchInputs(const cv::Mat& decoded, SharedArena& arena) : image(decoded) {
    in_shared_memory.allocator = arena.mat_allocator();
    decoded.copyTo(in_shared_memory);
  }
  const cv::Mat& for_backend(BenchBackend backend) const {
    return backend == BenchBackend::procs_shared ? in_shared_memory : image;
  }

  const cv::Mat& image;
  cv::Mat in_shared_memory;
};

// Runs the configurations of one worker count, round after round.
class GroupRun {
 public:
  GroupRun(ProcessRuntime& runtime, const BenchInputs& inputs, const BenchOptions& options,
           BenchReport& report, cv::Mat& reference, int& done)
      : runtime_(runtime),
        inputs_(inputs),
        options_(options),
        report_(report),
        reference_(reference),
        done_(done) {}

  void run(int workers) {
    for (const BenchBackend backend : kBenchBackends) add(backend, workers);
    round(Stage::cold);
    if (report_.context.repeat == 0) report_.context.repeat = 5;  // the reference failed
    for (int i = 0; i < report_.context.warmup; ++i) round(Stage::warmup);
    for (int i = 0; i < report_.context.repeat; ++i) round(Stage::timed);
  }

 private:
  enum class Stage { cold, warmup, timed };

  void add(BenchBackend backend, int workers) {
    BenchConfigResult result;
    result.config = {backend, backend == BenchBackend::sequential ? 1 : workers, workers};
    report_.results.push_back(result);
    runners_.push_back(Runner{
        report_.results.size() - 1,
        std::make_unique<FilterBackend>(choice_for(result.config, options_.strips), &runtime_)});
  }

  void round(Stage stage) {
    for (Runner& runner : runners_) {
      BenchConfigResult& result = report_.results[runner.result];
      if (!result.ok()) continue;
      const std::optional<BenchSample> sample = run_once(*runner.backend, result);
      if (sample) record(result, *sample, stage);
      report_progress(result.config);
    }
  }

  std::optional<BenchSample> run_once(FilterBackend& backend, BenchConfigResult& result) {
    BenchSample sample;
    const bool per_run = reset_peak_rss();
    FilterResult output;
    const auto start = Clock::now();
    try {
      output = backend.filter(inputs_.for_backend(result.config.backend), options_.spec);
    } catch (const ProcessingError& error) {
      result.error = error.what();
      return std::nullopt;
    } catch (const cv::Exception& error) {
      result.error = error.what();
      return std::nullopt;
    }
    sample.job = Clock::now() - start;
    sample.parent_peak_rss_kb = peak_rss_kb();
    report_.context.parent_peak_per_run = per_run;
    sample.phases = output.times;
    sample.queue_bytes = output.queue_bytes;
    sample.workers_replaced = output.workers_replaced;
    sample.workers_peak_rss_kb = output.workers_peak_rss_kb;
    if (corrupt_requested(result.config.backend)) flip_one_pixel(output.image);
    check(result, output.image);
    if (!result.ok()) return std::nullopt;
    return sample;
  }

  void check(BenchConfigResult& result, const cv::Mat& output) {
    if (reference_.empty()) {
      if (result.config.backend != BenchBackend::sequential) {
        throw std::logic_error("the sequential reference must run first");
      }
      reference_ = output.clone();
      return;
    }
    result.error = compare_with_reference(reference_, output);
  }

  void record(BenchConfigResult& result, const BenchSample& sample, Stage stage) {
    result.parent_peak_rss_kb = std::max(result.parent_peak_rss_kb, sample.parent_peak_rss_kb);
    result.workers_peak_rss_kb = std::max(result.workers_peak_rss_kb, sample.workers_peak_rss_kb);
    if (stage == Stage::cold) result.cold = sample;
    if (stage == Stage::timed) result.samples.push_back(sample);
    if (report_.context.repeat == 0 && result.config.backend == BenchBackend::sequential) {
      report_.context.repeat = automatic_repeat(sample.job);
    }
  }

  void report_progress(const BenchConfig& config) {
    ++done_;
    if (!options_.on_progress) return;
    const int total =
        planned_runs(static_cast<int>(std::size(kBenchBackends)), report_.context.warmup,
                     report_.context.repeat, report_.context.worker_counts.size());
    options_.on_progress(BenchProgress{done_, std::max(total, done_), config});
  }

  ProcessRuntime& runtime_;
  const BenchInputs& inputs_;
  const BenchOptions& options_;
  BenchReport& report_;
  cv::Mat& reference_;
  int& done_;
  std::vector<Runner> runners_;
};

}  // namespace

int planned_runs(int configurations, int warmup, int repeat, std::size_t worker_counts) {
  return configurations * (1 + warmup + repeat) * static_cast<int>(worker_counts);
}

std::string_view bench_backend_name(BenchBackend backend) {
  switch (backend) {
    case BenchBackend::sequential:
      return "seq";
    case BenchBackend::threads:
      return "threads";
    case BenchBackend::procs_shared:
      return "procs-shared";
    case BenchBackend::procs_copy:
      return "procs-copy";
  }
  return "unknown";
}

bool is_process_backend(BenchBackend backend) {
  return backend == BenchBackend::procs_shared || backend == BenchBackend::procs_copy;
}

DurationStats duration_stats(std::vector<std::chrono::nanoseconds> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  const auto median =
      values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  return {median, values.front(), values.back()};
}

bool BenchReport::ok() const {
  return std::all_of(results.begin(), results.end(),
                     [](const BenchConfigResult& result) { return result.ok(); });
}

const BenchConfigResult* BenchReport::find(BenchBackend backend, int group_workers) const {
  for (const BenchConfigResult& result : results) {
    if (result.config.backend == backend && result.config.group_workers == group_workers) {
      return &result;
    }
  }
  return nullptr;
}

std::vector<int> default_worker_counts(int cores) {
  cores = std::max(cores, 1);
  std::vector<int> counts;
  for (int count = 1; count <= 2 * cores; count *= 2) counts.push_back(count);
  counts.push_back(cores);
  counts.push_back(2 * cores);
  return checked_worker_counts(counts);
}

int automatic_repeat(std::chrono::nanoseconds sequential) {
  constexpr double kSecondsPerGroup = 3.0;
  const double seconds = std::chrono::duration<double>(sequential).count();
  if (seconds <= 0) return 50;
  return static_cast<int>(std::clamp(std::ceil(kSecondsPerGroup / seconds), 5.0, 50.0));
}

std::string compare_with_reference(const cv::Mat& reference, const cv::Mat& output) {
  if (output.size() != reference.size() || output.type() != reference.type()) {
    return "output is " + std::to_string(output.cols) + "x" + std::to_string(output.rows) +
           " of type " + std::to_string(output.type()) + ", --seq gave " +
           std::to_string(reference.cols) + "x" + std::to_string(reference.rows) + " of type " +
           std::to_string(reference.type());
  }
  const std::size_t pixel_bytes = reference.elemSize();
  const std::size_t row_bytes = std::size_t(reference.cols) * pixel_bytes;
  std::uint64_t differing = 0;
  int first_x = -1, first_y = -1;
  for (int y = 0; y < reference.rows; ++y) {
    const uchar* a = reference.ptr(y);
    const uchar* b = output.ptr(y);
    if (std::memcmp(a, b, row_bytes) == 0) continue;
    for (int x = 0; x < reference.cols; ++x) {
      if (std::memcmp(a + std::size_t(x) * pixel_bytes, b + std::size_t(x) * pixel_bytes,
                      pixel_bytes) == 0) {
        continue;
      }
      if (differing++ == 0) first_x = x, first_y = y;
    }
  }
  if (differing == 0) return "";
  return "output differs from --seq in " + std::to_string(differing) + " of " +
         std::to_string(reference.total()) + " pixels, the first at x=" + std::to_string(first_x) +
         " y=" + std::to_string(first_y);
}

BenchContext make_bench_context(const FilterChain& spec, int depth,
                                const std::vector<int>& worker_counts, int repeat, int warmup) {
  BenchContext context;
  context.machine = describe_machine();
  context.pblur_version = PBLUR_VERSION;
  context.opencv_version = CV_VERSION;
  context.onetbb_version = TBB_VERSION_STRING;
#ifdef NDEBUG
  context.build_type = "release";
#else
  context.build_type = "debug";
#endif
  context.spec = spec;
  context.filter = describe_filter(spec, depth);
  context.worker_counts = checked_worker_counts(worker_counts);
  context.repeat = repeat;
  context.repeat_automatic = repeat == 0;
  context.warmup = warmup;
  context.fork_safety =
      "workers are forked by a single-threaded fork server started first thing, before any "
      "oneTBB or OpenCV thread, so pools can be made at any time after it and every "
      "configuration runs in this one process";
  return context;
}

double duration_ratio(std::chrono::nanoseconds numerator, std::chrono::nanoseconds denominator) {
  if (denominator.count() <= 0) return 0;
  return static_cast<double>(numerator.count()) / static_cast<double>(denominator.count());
}

BenchReport run_bench(ProcessRuntime& runtime, const cv::Mat& image, const BenchOptions& options) {
  if (options.repeat < 0) throw UsageError("the repeat count must be at least 1");
  if (options.warmup < 0) throw UsageError("the warm-up count must be at least 0");
  validate(options.spec, image.depth());
  BenchReport report;
  report.context = make_context(image, options);
  const BenchInputs inputs(image, runtime.arena);
  cv::Mat reference;
  int done = 0;
  for (const int workers : report.context.worker_counts) {
    GroupRun(runtime, inputs, options, report, reference, done).run(workers);
  }
  for (BenchConfigResult& result : report.results) summarize(result);
  compare_with_baselines(report);
  return report;
}

}  // namespace pblur
