#include <nlohmann/json.hpp>

#include "cli/bench_reporter.h"

namespace pblur::cli {
namespace {

using json = nlohmann::ordered_json;

json image_json(const BenchImage& image) {
  return {{"width", image.width},
          {"height", image.height},
          {"channels", image.channels},
          {"depth_bits", image.depth_bits}};
}

json context_json(const BenchContext& c, const BenchRunInfo& info) {
  const MachineInfo& m = c.machine;
  return {
      {"date", m.date},
      {"host_name", m.host_name},
      {"executable", info.executable},
      {"num_cpus", m.usable_cpus},
      {"cores_online", m.cores_online},
      {"cpu_model", m.cpu_model},
      {"load_avg", m.load_average},
      {"library_build_type", c.build_type},
      {"pblur_version", c.pblur_version},
      {"opencv_version", c.opencv_version},
      {"onetbb_version", c.onetbb_version},
      {"filter", c.filter},
      {"filter_spec",
       {{"kind", filter_kind_name(c.spec.front().kind)},
        {"sigma", c.spec.front().sigma},
        {"ksize", c.spec.front().ksize},
        {"border", border_mode_name(c.spec.front().border)}}},
      {"worker_counts", c.worker_counts},
      {"repetitions", c.repeat},
      {"repetitions_automatic", c.repeat_automatic},
      {"warmup", c.warmup},
      {"time_unit", "ms"},
      {"parent_peak_rss_scope", c.parent_peak_per_run ? "per run" : "process lifetime"},
      {"fork_safety", c.fork_safety},
      {"pool_lifetime", c.pool_lifetime},
      {"order", c.order},
      {"input", c.input},
  };
}

json config_json(const BenchConfigResult& r, const BenchContext& context) {
  const std::string name = bench_config_name(r.config);
  return {{"name", name},
          {"run_name", name},
          {"backend", bench_backend_name(r.config.backend)},
          {"workers", r.config.workers},
          {"group_workers", r.config.group_workers},
          {"repetitions", context.repeat},
          {"iterations", 1},
          {"time_unit", "ms"}};
}

json sample_json(const BenchConfigResult& r, const BenchContext& context, const BenchSample& s,
                 std::optional<int> repetition) {
  json entry = config_json(r, context);
  entry["run_type"] = "iteration";
  entry["cold"] = !repetition.has_value();
  if (repetition) entry["repetition_index"] = *repetition;
  entry["real_time"] = to_ms(s.job);
  entry["filter_time"] = to_ms(s.phases.filter);
  entry["start_workers_time"] = to_ms(s.phases.start_workers);
  entry["send_time"] = to_ms(s.phases.send);
  entry["collect_time"] = to_ms(s.phases.collect);
  entry["queue_bytes"] = s.queue_bytes;
  entry["workers_replaced"] = s.workers_replaced;
  entry["parent_peak_rss_kb"] = s.parent_peak_rss_kb;
  return entry;
}

json aggregate_json(const BenchConfigResult& r, const BenchContext& context, const char* which,
                    std::chrono::nanoseconds DurationStats::*field) {
  json entry = config_json(r, context);
  entry["name"] = bench_config_name(r.config) + "_" + which;
  entry["run_type"] = "aggregate";
  entry["aggregate_name"] = which;
  entry["real_time"] = to_ms(r.job.*field);
  entry["filter_time"] = to_ms(r.filter.*field);
  entry["send_time"] = to_ms(r.send.*field);
  entry["collect_time"] = to_ms(r.collect.*field);
  return entry;
}

void add_median_extras(json& entry, const BenchConfigResult& r) {
  entry["speedup"] = r.speedup;
  entry["filter_speedup"] = r.filter_speedup;
  entry["efficiency"] = r.efficiency;
  entry["procs_threads_ratio"] = r.procs_threads_ratio ? json(*r.procs_threads_ratio) : json();
  entry["queue_bytes"] = r.queue_bytes;
  entry["parent_peak_rss_kb"] = r.parent_peak_rss_kb;
  if (is_process_backend(r.config.backend)) entry["workers_peak_rss_kb"] = r.workers_peak_rss_kb;
  if (r.cold) {
    entry["cold_real_time"] = to_ms(r.cold->job);
    entry["cold_start_workers_time"] = to_ms(r.cold->phases.start_workers);
  }
}

void add_config_entries(json& benchmarks, const BenchConfigResult& r, const BenchContext& context) {
  if (!r.ok()) {
    json entry = config_json(r, context);
    entry["run_type"] = "iteration";
    entry["error_occurred"] = true;
    entry["error_message"] = r.error;
    benchmarks.push_back(entry);
    return;
  }
  if (r.cold) benchmarks.push_back(sample_json(r, context, *r.cold, std::nullopt));
  for (std::size_t i = 0; i < r.samples.size(); ++i) {
    benchmarks.push_back(sample_json(r, context, r.samples[i], static_cast<int>(i)));
  }
  json median = aggregate_json(r, context, "median", &DurationStats::median);
  add_median_extras(median, r);
  benchmarks.push_back(median);
  benchmarks.push_back(aggregate_json(r, context, "min", &DurationStats::min));
  benchmarks.push_back(aggregate_json(r, context, "max", &DurationStats::max));
}

json batch_config_json(const BatchBenchResult& r, const BenchContext& context) {
  const std::string name = bench_config_name(r.config);
  return {{"name", name},
          {"run_name", name},
          {"backend", batch_backend_name(r.config)},
          {"split", split_mode_name(r.config.split)},
          {"workers", r.config.workers},
          {"group_workers", r.config.group_workers},
          {"repetitions", context.repeat},
          {"iterations", 1},
          {"time_unit", "ms"}};
}

// Google Benchmark's names: items are images, bytes those of the input files.
void add_rates(json& entry, std::chrono::nanoseconds elapsed, const BatchBenchFolder& folder) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  entry["real_time"] = to_ms(elapsed);
  entry["items_per_second"] = seconds > 0 ? double(folder.images) / seconds : 0.0;
  entry["bytes_per_second"] = seconds > 0 ? double(folder.input_bytes) / seconds : 0.0;
}

json batch_sample_json(const BatchBenchResult& r, const BatchBenchReport& report,
                       std::chrono::nanoseconds elapsed, std::optional<int> repetition) {
  json entry = batch_config_json(r, report.context);
  entry["run_type"] = "iteration";
  entry["cold"] = !repetition.has_value();
  if (repetition) entry["repetition_index"] = *repetition;
  add_rates(entry, elapsed, report.folder);
  return entry;
}

// Each statistic on its own, as Google Benchmark does: the "min" aggregate holds the least time
// and the least rate.
json batch_aggregate_json(const BatchBenchResult& r, const BatchBenchReport& report,
                          const char* which, std::chrono::nanoseconds elapsed, double rate) {
  json entry = batch_config_json(r, report.context);
  entry["name"] = bench_config_name(r.config) + "_" + which;
  entry["run_type"] = "aggregate";
  entry["aggregate_name"] = which;
  add_rates(entry, elapsed, report.folder);
  entry["items_per_second"] = rate;
  entry["bytes_per_second"] = rate * double(report.folder.input_bytes) /
                              double(std::max<std::size_t>(report.folder.images, 1));
  return entry;
}

void add_batch_entries(json& benchmarks, const BatchBenchResult& r,
                       const BatchBenchReport& report) {
  if (!r.ok()) {
    json entry = batch_config_json(r, report.context);
    entry["run_type"] = "iteration";
    entry["error_occurred"] = true;
    entry["error_message"] = r.error;
    benchmarks.push_back(entry);
    return;
  }
  if (r.cold) benchmarks.push_back(batch_sample_json(r, report, *r.cold, std::nullopt));
  for (std::size_t i = 0; i < r.samples.size(); ++i) {
    benchmarks.push_back(batch_sample_json(r, report, r.samples[i], static_cast<int>(i)));
  }
  const RateStats& rate = r.images_per_second;
  json median = batch_aggregate_json(r, report, "median", r.elapsed.median, rate.median);
  median["speedup"] = r.speedup;
  median["procs_threads_ratio"] = r.procs_threads_ratio ? json(*r.procs_threads_ratio) : json();
  if (r.cold) median["cold_real_time"] = to_ms(*r.cold);
  benchmarks.push_back(median);
  benchmarks.push_back(batch_aggregate_json(r, report, "min", r.elapsed.max, rate.min));
  benchmarks.push_back(batch_aggregate_json(r, report, "max", r.elapsed.min, rate.max));
}

class JsonReporter : public BenchReporter {
 public:
  void report(const BenchReport& report, const BenchRunInfo& info,
              std::ostream& out) const override {
    json benchmarks = json::array();
    for (const BenchConfigResult& r : report.results) {
      add_config_entries(benchmarks, r, report.context);
    }
    json context = context_json(report.context, info);
    context["image"] = {{"path", info.image_path}};
    context["image"].update(image_json(report.context.image));
    const json document{{"context", context}, {"benchmarks", benchmarks}};
    out << document.dump(2) << "\n";
  }

  void report(const BatchBenchReport& report, const BenchRunInfo& info,
              std::ostream& out) const override {
    json benchmarks = json::array();
    for (const BatchBenchResult& r : report.results) add_batch_entries(benchmarks, r, report);
    json context = context_json(report.context, info);
    context["folder"] = {{"path", info.image_path},
                         {"images", report.folder.images},
                         {"input_bytes", report.folder.input_bytes},
                         {"first_image", image_json(report.context.image)}};
    const json document{{"context", context}, {"benchmarks", benchmarks}};
    out << document.dump(2) << "\n";
  }
};

}  // namespace

std::unique_ptr<BenchReporter> make_json_reporter() {
  return std::make_unique<JsonReporter>();
}

}  // namespace pblur::cli
