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
      {"load_note", c.load_note},
      {"library_build_type", c.assertions ? "debug" : "release"},
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
      {"fork_safety", describe_fork_safety()},
      {"pool_lifetime", describe_pool_lifetime(c.subject)},
      {"order", describe_order(report)},
      {"input", describe_input(c.subject)},
      {"not_streamed", c.not_streamed},
  };
}

json config_json(const BenchRow& r, const BenchContext& context) {
  const std::string name = bench_config_name(r.config);
  json entry = {{"name", name}, {"run_name", name}, {"backend", backend_column(r.config)}};
  if (context.subject == BenchSubject::image) entry["pipeline"] = pipeline_name(r.config);
  if (r.config.split) entry["split"] = split_mode_name(*r.config.split);
  entry["workers"] = r.config.workers;
  entry["group_workers"] = r.config.group_workers;
  entry["repetitions"] = context.repeat;
  entry["iterations"] = 1;
  entry["time_unit"] = "ms";
  return entry;
}

json error_json(const BenchRow& r, const BenchContext& context) {
  json entry = config_json(r, context);
  entry["run_type"] = "iteration";
  entry["error_occurred"] = true;
  entry["error_message"] = r.error;
  return entry;
}

json sample_json(const BenchRow& r, const BenchContext& context, const BenchSample& s,
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
  if (r.config.streamed) {
    entry["decode_time"] = to_ms(s.decode);
    entry["encode_time"] = to_ms(s.encode);
    entry["pipeline_time"] = to_ms(s.pipeline);
    if (is_process_config(r.config)) entry["workers_peak_rss_kb"] = s.workers_peak_rss_kb;
  }
  return entry;
}

json aggregate_json(const BenchRow& r, const BenchContext& context, const char* which,
                    std::chrono::nanoseconds DurationStats::*field) {
  json entry = config_json(r, context);
  entry["name"] = bench_config_name(r.config) + "_" + which;
  entry["run_type"] = "aggregate";
  entry["aggregate_name"] = which;
  entry["real_time"] = to_ms(r.job.*field);
  entry["filter_time"] = to_ms(r.filter.*field);
  entry["send_time"] = to_ms(r.send.*field);
  entry["collect_time"] = to_ms(r.collect.*field);
  if (r.config.streamed) {
    entry["decode_time"] = to_ms(r.decode.*field);
    entry["encode_time"] = to_ms(r.encode.*field);
    entry["pipeline_time"] = to_ms(r.pipeline.*field);
  }
  return entry;
}

void add_median_extras(json& entry, const BenchRow& r) {
  entry["speedup"] = r.speedup;
  entry["filter_speedup"] = r.filter_speedup;
  entry["efficiency"] = r.efficiency;
  entry["procs_threads_ratio"] = r.procs_threads_ratio ? json(*r.procs_threads_ratio) : json();
  entry["queue_bytes"] = r.queue_bytes;
  entry["parent_peak_rss_kb"] = r.parent_peak_rss_kb;
  if (is_process_config(r.config)) entry["workers_peak_rss_kb"] = r.workers_peak_rss_kb;
  if (r.config.streamed) entry["overlap"] = r.overlap;
  if (r.cold) {
    entry["cold_real_time"] = to_ms(r.cold->job);
    entry["cold_start_workers_time"] = to_ms(r.cold->phases.start_workers);
  }
}

void add_image_entries(json& benchmarks, const BenchRow& r, const BenchContext& context) {
  if (!r.ok()) return benchmarks.push_back(error_json(r, context));
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

// Google Benchmark's names: items are images, bytes those of the input files.
void add_rates(json& entry, std::chrono::nanoseconds elapsed, const BenchInput& input) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  entry["real_time"] = to_ms(elapsed);
  entry["items_per_second"] = seconds > 0 ? double(input.images) / seconds : 0.0;
  entry["bytes_per_second"] = seconds > 0 ? double(input.bytes) / seconds : 0.0;
}

json folder_sample_json(const BenchRow& r, const BenchContext& context, const BenchSample& s,
                        std::optional<int> repetition) {
  json entry = config_json(r, context);
  entry["run_type"] = "iteration";
  entry["cold"] = !repetition.has_value();
  if (repetition) entry["repetition_index"] = *repetition;
  add_rates(entry, s.job, context.input);
  return entry;
}

// Each statistic on its own, as Google Benchmark does: the "min" aggregate holds the least time
// and the least rate.
json folder_aggregate_json(const BenchRow& r, const BenchContext& context, const char* which,
                           std::chrono::nanoseconds elapsed, double rate) {
  json entry = config_json(r, context);
  entry["name"] = bench_config_name(r.config) + "_" + which;
  entry["run_type"] = "aggregate";
  entry["aggregate_name"] = which;
  add_rates(entry, elapsed, context.input);
  entry["items_per_second"] = rate;
  entry["bytes_per_second"] =
      rate * double(context.input.bytes) / double(std::max<std::size_t>(context.input.images, 1));
  return entry;
}

void add_folder_entries(json& benchmarks, const BenchRow& r, const BenchContext& context) {
  if (!r.ok()) return benchmarks.push_back(error_json(r, context));
  if (r.cold) benchmarks.push_back(folder_sample_json(r, context, *r.cold, std::nullopt));
  for (std::size_t i = 0; i < r.samples.size(); ++i) {
    benchmarks.push_back(folder_sample_json(r, context, r.samples[i], static_cast<int>(i)));
  }
  const RateStats& rate = r.images_per_second;
  json median = folder_aggregate_json(r, context, "median", r.job.median, rate.median);
  median["speedup"] = r.speedup;
  median["procs_threads_ratio"] = r.procs_threads_ratio ? json(*r.procs_threads_ratio) : json();
  if (r.cold) median["cold_real_time"] = to_ms(r.cold->job);
  benchmarks.push_back(median);
  benchmarks.push_back(folder_aggregate_json(r, context, "min", r.job.max, rate.min));
  benchmarks.push_back(folder_aggregate_json(r, context, "max", r.job.min, rate.max));
}

// The context's description of what was filtered.
json subject_json(const BenchContext& c, const BenchRunInfo& info) {
  if (c.subject == BenchSubject::image) {
    json image = {{"path", info.image_path}};
    image.update(image_json(c.image));
    return image;
  }
  return {{"path", info.image_path},
          {"images", c.input.images},
          {"input_bytes", c.input.bytes},
          {"first_image", image_json(c.image)}};
}

// A file name that is not UTF-8 is written with U+FFFD for its odd bytes, not refused.
std::string dump(const json& document) {
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

class JsonReporter : public BenchReporter {
 public:
  void report(const BenchReport& report, const BenchRunInfo& info,
              std::ostream& out) const override {
    const BenchContext& c = report.context;
    json benchmarks = json::array();
    for (const BenchRow& r : report.rows) {
      if (c.subject == BenchSubject::image) {
        add_image_entries(benchmarks, r, c);
      } else {
        add_folder_entries(benchmarks, r, c);
      }
    }
    json context = context_json(report, info);
    context[c.subject == BenchSubject::image ? "image" : "folder"] = subject_json(c, info);
    const json document{{"context", context}, {"benchmarks", benchmarks}};
    out << dump(document);
  }
};

}  // namespace

std::unique_ptr<BenchReporter> make_json_reporter() {
  return std::make_unique<JsonReporter>();
}

}  // namespace pblur::cli
