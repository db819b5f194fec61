#include "core/batch_bench.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "core/errors.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Measured in this order in every round; seq first, as the reference of the others.
constexpr BatchBenchConfig kConfigs[] = {
    {BackendKind::sequential, SplitMode::images, 1, 1},
    {BackendKind::processes, SplitMode::images, 1, 1},
    {BackendKind::processes, SplitMode::strips, 1, 1},
    {BackendKind::threads, SplitMode::images, 1, 1},
    {BackendKind::threads, SplitMode::strips, 1, 1},
};

// A folder of its own under the temporary directory, removed with everything in it.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string name = (fs::temp_directory_path() / "pblur-bench-batch-XXXXXX").string();
    if (!mkdtemp(name.data())) {
      throw OutputError("cannot create a temporary folder for the outputs: " +
                        std::string(std::strerror(errno)));
    }
    path_ = name;
  }
  ~ScratchFolder() {
    std::error_code error;
    fs::remove_all(path_, error);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Why `output` differs from `reference`, or "" if it is the same bytes.
std::string compare_files(const fs::path& reference, const fs::path& output,
                          const std::string& name) {
  std::error_code error;
  if (!fs::is_regular_file(reference, error)) return name + ": seq wrote no output to compare with";
  if (!fs::is_regular_file(output, error)) return name + ": no output was written";
  const std::string a = read_bytes(reference), b = read_bytes(output);
  if (a == b) return "";
  const auto first = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  const std::string sizes = a.size() == b.size()
                                ? "both " + std::to_string(a.size())
                                : std::to_string(b.size()) + " against " + std::to_string(a.size());
  return name + ": output differs from seq's (" + sizes + " bytes, the first difference at byte " +
         std::to_string(first.first - a.begin()) + ")";
}

void flip_one_byte(const fs::path& path) {
  std::string bytes = read_bytes(path);
  if (bytes.empty()) return;
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

bool corrupt_requested(const BatchBenchConfig& config) {
  const char* name = std::getenv(kBenchCorruptVariable);
  return name && batch_bench_label(config) == name;
}

// Outputs left by an earlier run would hide one that was not written.
void remove_outputs(std::span<const BatchItem> items) {
  std::error_code error;
  for (const BatchItem& item : items) fs::remove(item.output, error);
}

// The items, writing into `folder` under their relative paths.
std::vector<BatchItem> items_writing_to(std::span<const BatchItem> items, const fs::path& folder) {
  std::vector<BatchItem> moved(items.begin(), items.end());
  for (BatchItem& item : moved) {
    item.output = folder / fs::path(item.relative);
    fs::create_directories(item.output.parent_path());
  }
  return moved;
}

RateStats rates(std::size_t images, const DurationStats& elapsed) {
  const auto per_second = [images](std::chrono::nanoseconds time) {
    const double seconds = std::chrono::duration<double>(time).count();
    return seconds > 0 ? double(images) / seconds : 0;
  };
  return {per_second(elapsed.median), per_second(elapsed.max), per_second(elapsed.min)};
}

void summarize(BatchBenchResult& result, const BatchBenchFolder& folder) {
  if (!result.ok() || result.samples.empty()) return;
  result.elapsed = duration_stats(result.samples);
  result.images_per_second = rates(folder.images, result.elapsed);
  const double seconds = std::chrono::duration<double>(result.elapsed.median).count();
  if (seconds > 0) result.input_mb_per_second = double(folder.input_bytes) / 1e6 / seconds;
}

bool measured(const BatchBenchResult* result) {
  return result && result->ok() && !result->samples.empty();
}

void compare_with_baselines(BatchBenchReport& report) {
  for (BatchBenchResult& result : report.results) {
    if (!measured(&result)) continue;
    const BatchBenchConfig& config = result.config;
    const BatchBenchResult* seq =
        report.find(BackendKind::sequential, SplitMode::images, config.group_workers);
    if (measured(seq)) result.speedup = duration_ratio(seq->elapsed.median, result.elapsed.median);
    const BatchBenchResult* threads =
        report.find(BackendKind::threads, config.split, config.group_workers);
    if (config.backend == BackendKind::processes && measured(threads)) {
      result.procs_threads_ratio = duration_ratio(result.elapsed.median, threads->elapsed.median);
    }
  }
}

BenchContext make_context(const cv::Mat& first, const BatchBenchOptions& options) {
  BenchContext context = make_bench_context(options.spec, first.depth(), options.worker_counts,
                                            options.repeat, options.warmup);
  context.image = {first.cols, first.rows, first.channels(), first.depth() == CV_16U ? 16 : 8};
  context.pool_lifetime =
      "every run is a whole `pblur batch` run: process configurations fork their pool at its "
      "start, and the timed runs include that";
  context.input =
      "every run loads, filters and saves every image of the folder, writing into a temporary "
      "folder per configuration (removed at the end); every output file is compared byte for "
      "byte with seq's";
  context.order =
      "per worker count: one cold run of each configuration, then warm-up rounds, then timed "
      "rounds, each round running seq, procs-images, procs-strips, threads-images, "
      "threads-strips once";
  return context;
}

// Runs the configurations of one worker count, round after round.
class GroupRun {
 public:
  GroupRun(ProcessRuntime& runtime, std::span<const BatchItem> items, const fs::path& scratch,
           const BatchBenchOptions& options, BatchBenchReport& report, int& done)
      : runtime_(runtime),
        items_(items),
        scratch_(scratch),
        options_(options),
        report_(report),
        done_(done) {}

  void run(int workers) {
    for (BatchBenchConfig config : kConfigs) add(config, workers);
    round(Stage::cold);
    if (report_.context.repeat == 0) report_.context.repeat = 5;  // the reference failed
    for (int i = 0; i < report_.context.warmup; ++i) round(Stage::warmup);
    for (int i = 0; i < report_.context.repeat; ++i) round(Stage::timed);
    std::error_code error;
    for (const Runner& runner : runners_) fs::remove_all(runner.folder, error);
  }

 private:
  enum class Stage { cold, warmup, timed };

  struct Runner {
    std::size_t result;  // index into BatchBenchReport::results
    fs::path folder;     // where its outputs go
    std::vector<BatchItem> items;
  };

  void add(BatchBenchConfig config, int workers) {
    if (config.backend != BackendKind::sequential) config.workers = workers;
    config.group_workers = workers;
    BatchBenchResult result;
    result.config = config;
    report_.results.push_back(result);
    const fs::path folder = scratch_ / (batch_bench_label(config) + "-" + std::to_string(workers));
    if (config.backend == BackendKind::sequential) reference_ = folder;
    runners_.push_back(
        Runner{report_.results.size() - 1, folder, items_writing_to(items_, folder)});
  }

  void round(Stage stage) {
    for (const Runner& runner : runners_) {
      if (options_.stop && options_.stop->load()) throw Interrupted("the benchmark was stopped");
      BatchBenchResult& result = report_.results[runner.result];
      if (!result.ok()) continue;
      const auto elapsed = run_once(runner, result);
      if (elapsed) record(result, *elapsed, stage);
      report_progress(result.config);
    }
  }

  BatchRunOptions run_options(const BatchBenchConfig& config) const {
    BatchRunOptions run;
    run.spec = options_.spec;
    run.load = options_.load;
    run.backend.kind = config.backend;
    run.backend.workers = config.workers;
    run.split = config.split;
    run.stop = options_.stop;
    return run;
  }

  std::optional<std::chrono::nanoseconds> run_once(const Runner& runner, BatchBenchResult& result) {
    std::string failures;
    remove_outputs(runner.items);
    const auto start = Clock::now();
    try {
      run_batch(runner.items, run_options(result.config), &runtime_, [&](const FileResult& file) {
        if (file.status == FileStatus::failed && failures.empty()) failures = file.reason;
      });
    } catch (const Interrupted&) {
      throw;
    } catch (const std::runtime_error& error) {
      failures = error.what();
    } catch (const cv::Exception& error) {
      failures = error.what();
    }
    const auto elapsed = Clock::now() - start;
    if (corrupt_requested(result.config)) flip_one_byte(runner.items.front().output);
    result.error = failures.empty() ? check(runner) : failures;
    if (!result.ok()) return std::nullopt;
    return elapsed;
  }

  std::string check(const Runner& runner) const {
    for (const BatchItem& item : runner.items) {
      const fs::path reference = reference_ / fs::path(item.relative);
      if (reference == item.output) continue;
      std::string difference = compare_files(reference, item.output, item.relative);
      if (!difference.empty()) return difference;
    }
    return "";
  }

  void record(BatchBenchResult& result, std::chrono::nanoseconds elapsed, Stage stage) {
    if (stage == Stage::cold) result.cold = elapsed;
    if (stage == Stage::timed) result.samples.push_back(elapsed);
    if (report_.context.repeat == 0 && result.config.backend == BackendKind::sequential) {
      report_.context.repeat = automatic_repeat(elapsed);
    }
  }

  void report_progress(const BatchBenchConfig& config) {
    ++done_;
    if (!options_.on_progress) return;
    const int total = planned_runs(static_cast<int>(std::size(kConfigs)), report_.context.warmup,
                                   report_.context.repeat, report_.context.worker_counts.size());
    options_.on_progress(BatchBenchProgress{done_, std::max(total, done_), config});
  }

  ProcessRuntime& runtime_;
  std::span<const BatchItem> items_;
  const fs::path& scratch_;
  const BatchBenchOptions& options_;
  BatchBenchReport& report_;
  int& done_;
  fs::path reference_;
  std::vector<Runner> runners_;
};

BatchBenchFolder describe_folder(std::span<const BatchItem> items, const std::string& path) {
  const std::uint64_t bytes = std::accumulate(
      items.begin(), items.end(), std::uint64_t{0},
      [](std::uint64_t sum, const BatchItem& item) { return sum + item.input_bytes; });
  return {path, items.size(), bytes};
}

}  // namespace

std::string batch_bench_label(const BatchBenchConfig& config) {
  switch (config.backend) {
    case BackendKind::sequential:
      return "seq";
    case BackendKind::processes:
      return "procs-" + std::string(split_mode_name(config.split));
    case BackendKind::threads:
      return "threads-" + std::string(split_mode_name(config.split));
  }
  return "unknown";
}

bool BatchBenchReport::ok() const {
  return std::all_of(results.begin(), results.end(),
                     [](const BatchBenchResult& result) { return result.ok(); });
}

const BatchBenchResult* BatchBenchReport::find(BackendKind backend, SplitMode split,
                                               int group_workers) const {
  for (const BatchBenchResult& result : results) {
    const BatchBenchConfig& c = result.config;
    if (c.backend == backend && c.split == split && c.group_workers == group_workers) {
      return &result;
    }
  }
  return nullptr;
}

BatchBenchReport run_batch_bench(ProcessRuntime& runtime, std::span<const BatchItem> items,
                                 const BatchBenchOptions& options) {
  if (options.repeat < 0) throw UsageError("the repeat count must be at least 1");
  if (options.warmup < 0) throw UsageError("the warm-up count must be at least 0");
  if (items.empty()) throw InputError("no images to measure in '" + options.folder + "'");
  const cv::Mat first = load_image(items.front().input, options.load);
  validate(options.spec, first.depth());
  BatchBenchReport report;
  report.context = make_context(first, options);
  report.folder = describe_folder(items, options.folder);
  const ScratchFolder scratch;
  int done = 0;
  for (const int workers : report.context.worker_counts) {
    GroupRun(runtime, items, scratch.path(), options, report, done).run(workers);
  }
  for (BatchBenchResult& result : report.results) summarize(result, report.folder);
  compare_with_baselines(report);
  return report;
}

}  // namespace pblur
