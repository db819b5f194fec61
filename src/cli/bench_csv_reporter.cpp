#include <cstdio>

#include "cli/bench_reporter.h"

namespace pblur::cli {
namespace {

constexpr const char* kHeader =
    "name,backend,workers,group_workers,runs,job_median_ms,job_min_ms,job_max_ms,"
    "filter_median_ms,filter_min_ms,filter_max_ms,speedup,filter_speedup,efficiency,"
    "procs_threads_ratio,cold_job_ms,cold_start_workers_ms,send_median_ms,collect_median_ms,"
    "queue_bytes,parent_peak_rss_kb,workers_peak_rss_kb,error";

constexpr const char* kBatchHeader =
    "name,backend,split,workers,group_workers,runs,images,input_bytes,time_median_ms,"
    "time_min_ms,time_max_ms,images_per_second_median,images_per_second_min,"
    "images_per_second_max,input_mb_per_second,speedup,procs_threads_ratio,cold_ms,error";

// RFC 4180: quoted, with quotes doubled.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number(double value) {
  char text[48];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

std::string ms(std::chrono::nanoseconds duration) {
  return number(to_ms(duration));
}

std::string timings(const BenchConfigResult& r) {
  const bool procs = is_process_backend(r.config.backend);
  std::string row = ms(r.job.median) + "," + ms(r.job.min) + "," + ms(r.job.max) + "," +
                    ms(r.filter.median) + "," + ms(r.filter.min) + "," + ms(r.filter.max) + "," +
                    number(r.speedup) + "," + number(r.filter_speedup) + "," +
                    number(r.efficiency) + "," +
                    (r.procs_threads_ratio ? number(*r.procs_threads_ratio) : "") + ",";
  row += r.cold ? ms(r.cold->job) + "," + ms(r.cold->phases.start_workers) + "," : ",,";
  row += ms(r.send.median) + "," + ms(r.collect.median) + "," + std::to_string(r.queue_bytes) +
         "," + std::to_string(r.parent_peak_rss_kb) + "," +
         (procs ? std::to_string(r.workers_peak_rss_kb) : "") + ",";
  return row;
}

std::string batch_timings(const BatchBenchResult& r) {
  const RateStats& rate = r.images_per_second;
  return ms(r.elapsed.median) + "," + ms(r.elapsed.min) + "," + ms(r.elapsed.max) + "," +
         number(rate.median) + "," + number(rate.min) + "," + number(rate.max) + "," +
         number(r.input_mb_per_second) + "," + number(r.speedup) + "," +
         (r.procs_threads_ratio ? number(*r.procs_threads_ratio) : "") + "," +
         (r.cold ? ms(*r.cold) : "") + ",";
}

class CsvReporter : public BenchReporter {
 public:
  void report(const BenchReport& report, const BenchRunInfo&, std::ostream& out) const override {
    out << kHeader << "\n";
    for (const BenchConfigResult& r : report.results) {
      out << bench_config_name(r.config) << "," << bench_backend_name(r.config.backend) << ","
          << r.config.workers << "," << r.config.group_workers << "," << r.samples.size() << ",";
      if (r.ok()) {
        out << timings(r) << "\n";
      } else {
        out << std::string(17, ',') << quoted(r.error) << "\n";
      }
    }
  }

  void report(const BatchBenchReport& report, const BenchRunInfo&,
              std::ostream& out) const override {
    out << kBatchHeader << "\n";
    for (const BatchBenchResult& r : report.results) {
      out << bench_config_name(r.config) << "," << batch_backend_name(r.config) << ","
          << split_mode_name(r.config.split) << "," << r.config.workers << ","
          << r.config.group_workers << "," << r.samples.size() << "," << report.folder.images << ","
          << report.folder.input_bytes << ",";
      if (r.ok()) {
        out << batch_timings(r) << "\n";
      } else {
        out << std::string(10, ',') << quoted(r.error) << "\n";
      }
    }
  }
};

}  // namespace

std::unique_ptr<BenchReporter> make_csv_reporter() {
  return std::make_unique<CsvReporter>();
}

}  // namespace pblur::cli
