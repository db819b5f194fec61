#include <nlohmann/json.hpp>

#include "cli/bench_reporter.h"

namespace pblur::cli {
namespace {

using json = nlohmann::ordered_json;

json context_json(const BenchReport& report, const BenchRunInfo& info) {
  const BenchContext& c = report.context;
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
      {"image",
       {{"path", info.image_path},
        {"width", c.image.width},
        {"height", c.image.height},
        {"channels", c.image.channels},
        {"depth_bits", c.image.depth_bits}}},
      {"filter", c.filter},
      {"filter_spec",
       {{"kind", filter_kind_name(c.spec.kind)},
        {"sigma", c.spec.sigma},
        {"ksize", c.spec.ksize},
        {"border", border_mode_name(c.spec.border)}}},
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

class JsonReporter : public BenchReporter {
 public:
  void report(const BenchReport& report, const BenchRunInfo& info,
              std::ostream& out) const override {
    json benchmarks = json::array();
    for (const BenchConfigResult& r : report.results) {
      add_config_entries(benchmarks, r, report.context);
    }
    const json document{{"context", context_json(report, info)}, {"benchmarks", benchmarks}};
    out << document.dump(2) << "\n";
  }
};

}  // namespace

std::unique_ptr<BenchReporter> make_json_reporter() {
  return std::make_unique<JsonReporter>();
}

}  // namespace pblur::cli
