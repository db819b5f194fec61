#include "core/bench/bench_engine.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <opencv2/core.hpp>

#include "core/base/errors.h"
#include "core/os/peak_memory.h"

namespace pblur {
namespace {

using Clock = std::chrono::steady_clock;

template <typename Get>
DurationStats stats_of(const std::vector<BenchSample>& samples, Get get) {
  std::vector<std::chrono::nanoseconds> values;
  for (const BenchSample& sample : samples) values.push_back(get(sample));
  return duration_stats(std::move(values));
}

void summarize(BenchRow& row, const BenchInput& input) {
  if (!row.measured()) return;
  const auto& samples = row.samples;
  row.job = stats_of(samples, [](const BenchSample& s) { return s.job; });
  row.filter = stats_of(samples, [](const BenchSample& s) { return s.phases.filter; });
  row.send = stats_of(samples, [](const BenchSample& s) { return s.phases.send; });
  row.collect = stats_of(samples, [](const BenchSample& s) { return s.phases.collect; });
  if (row.config.streamed) {
    row.decode = stats_of(samples, [](const BenchSample& s) { return s.decode; });
    row.encode = stats_of(samples, [](const BenchSample& s) { return s.encode; });
    row.pipeline = stats_of(samples, [](const BenchSample& s) { return s.pipeline; });
    row.overlap = duration_ratio(row.decode.median + row.filter.median + row.encode.median,
                                 row.pipeline.median);
  }
  row.queue_bytes = samples.back().queue_bytes;
  row.images_per_second = rate_stats(static_cast<double>(input.images), row.job);
  const double seconds = std::chrono::duration<double>(row.job.median).count();
  if (seconds > 0) row.input_mb_per_second = static_cast<double>(input.bytes) / 1e6 / seconds;
}

bool measured(const BenchRow* row) {
  return row && row->measured();
}

// The threads' configuration that processes of `config` are held against.
std::string threads_label(const BenchConfig& config) {
  BenchConfig threads = config;
  threads.backend = BackendKind::threads;
  return bench_label(threads);
}

void compare_with_baselines(BenchReport& report) {
  for (BenchRow& row : report.rows) {
    if (!row.measured()) continue;
    const int group = row.config.group_workers;
    const bool streamed = row.config.streamed;
    const BenchRow* seq = report.find(backend_name(BackendKind::sequential), group, streamed);
    if (measured(seq)) {
      row.speedup = duration_ratio(seq->job.median, row.job.median);
      row.filter_speedup = duration_ratio(seq->filter.median, row.filter.median);
      row.efficiency = row.speedup / row.config.workers;
    }
    const BenchRow* threads = report.find(threads_label(row.config), group, streamed);
    if (is_process_config(row.config) && measured(threads)) {
      row.procs_threads_ratio = duration_ratio(row.job.median, threads->job.median);
    }
  }
}

// Runs the configurations of one worker count, round after round.
class GroupRun {
 public:
  GroupRun(BenchWorkload& workload, const BenchOptions& options, BenchReport& report, int& done)
      : workload_(workload), options_(options), report_(report), done_(done) {}

  void run(int workers) {
    for (BenchConfig config : workload_.configs()) add(config, workers);
    round(Stage::cold, 1, 1);
    if (report_.context.repeat == 0) report_.context.repeat = 5;  // the reference failed
    const int warmup = report_.context.warmup, repeat = report_.context.repeat;
    for (int i = 1; i <= warmup; ++i) round(Stage::warmup, i, warmup);
    for (int i = 1; i <= repeat; ++i) round(Stage::timed, i, repeat);
  }

 private:
  enum class Stage { cold, warmup, timed };
  static constexpr const char* kStageNames[] = {"cold", "warm-up", "timed"};

  struct Runner {
    std::size_t row;  // index into BenchReport::rows
    std::unique_ptr<BenchTrial> trial;
  };

  void add(BenchConfig config, int workers) {
    if (runners_.empty() && config.backend != BackendKind::sequential) {
      throw std::logic_error("the sequential reference must run first");
    }
    config.workers = config.backend == BackendKind::sequential ? 1 : workers;
    config.group_workers = workers;
    BenchRow row;
    row.config = config;
    report_.rows.push_back(std::move(row));
    runners_.push_back(Runner{report_.rows.size() - 1, workload_.trial(config)});
  }

  void round(Stage stage, int number, int rounds) {
    for (Runner& runner : runners_) {
      if (options_.stop.stop_requested()) throw Interrupted("the benchmark was stopped");
      BenchRow& row = report_.rows[runner.row];
      if (!row.ok()) continue;
      const std::optional<BenchSample> sample = run_once(*runner.trial, row);
      if (sample) record(row, *sample, stage);
      BenchProgress progress{
          0, 0, row.config, kStageNames[int(stage)], number, rounds, sample ? &*sample : nullptr};
      report_progress(progress);
    }
  }

  std::optional<BenchSample> run_once(BenchTrial& trial, BenchRow& row) {
    trial.prepare();
    const bool per_run = reset_peak_rss();
    BenchSample sample;
    const auto start = Clock::now();
    try {
      sample = trial.run();
    } catch (const Interrupted&) {
      throw;
    } catch (const std::runtime_error& error) {
      row.error = error.what();
    } catch (const cv::Exception& error) {
      row.error = error.what();
    }
    sample.job = Clock::now() - start;
    if (!row.ok()) return std::nullopt;
    sample.parent_peak_rss_kb = peak_rss_kb();
    report_.context.parent_peak_per_run = per_run;
    if (options_.corrupt_output && options_.corrupt_output(row.config)) trial.corrupt_output();
    row.error = trial.check_output();
    if (!row.ok()) return std::nullopt;
    return sample;
  }

  void record(BenchRow& row, const BenchSample& sample, Stage stage) {
    row.parent_peak_rss_kb = std::max(row.parent_peak_rss_kb, sample.parent_peak_rss_kb);
    row.workers_peak_rss_kb = std::max(row.workers_peak_rss_kb, sample.workers_peak_rss_kb);
    if (stage == Stage::cold) row.cold = sample;
    if (stage == Stage::timed) row.samples.push_back(sample);
    if (report_.context.repeat == 0 && row.config.backend == BackendKind::sequential) {
      report_.context.repeat = automatic_repeat(sample.job);
    }
  }

  void report_progress(BenchProgress& progress) {
    ++done_;
    if (!options_.on_progress) return;
    const BenchContext& context = report_.context;
    const int total = planned_runs(static_cast<int>(workload_.configs().size()), context.warmup,
                                   context.repeat, context.worker_counts.size());
    progress.done = done_;
    progress.total = std::max(total, done_);
    options_.on_progress(progress);
  }

  BenchWorkload& workload_;
  const BenchOptions& options_;
  BenchReport& report_;
  int& done_;
  std::vector<Runner> runners_;
};

}  // namespace

void validate_bench_options(const BenchOptions& options, int depth) {
  if (options.repeat < 0) throw UsageError("the repeat count must be at least 1");
  if (options.warmup < 0) throw UsageError("the warm-up count must be at least 0");
  validate(options.spec, depth);
}

void run_bench_engine(BenchWorkload& workload, const BenchOptions& options, BenchReport& report) {
  int done = 0;
  if (options.on_start) options.on_start(report.context, workload.configs());
  for (const int workers : report.context.worker_counts) {
    GroupRun(workload, options, report, done).run(workers);
  }
  for (BenchRow& row : report.rows) summarize(row, report.context.input);
  compare_with_baselines(report);
}

}  // namespace pblur
