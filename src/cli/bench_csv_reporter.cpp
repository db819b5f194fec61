#include <cstdio>

#include "cli/bench_reporter.h"

namespace pblur::cli {
namespace {

constexpr const char* kImageHeader =
    "name,pipeline,backend,workers,group_workers,runs,job_median_ms,job_min_ms,job_max_ms,"
    "filter_median_ms,filter_min_ms,filter_max_ms,speedup,filter_speedup,efficiency,"
    "procs_threads_ratio,cold_job_ms,cold_start_workers_ms,send_median_ms,collect_median_ms,"
    "queue_bytes,parent_peak_rss_kb,workers_peak_rss_kb,decode_median_ms,encode_median_ms,"
    "pipeline_median_ms,overlap,error";

constexpr const char* kFolderHeader =
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

std::string image_timings(const BenchRow& r) {
  const bool procs = is_process_config(r.config);
  std::string row = ms(r.job.median) + "," + ms(r.job.min) + "," + ms(r.job.max) + "," +
                    ms(r.filter.median) + "," + ms(r.filter.min) + "," + ms(r.filter.max) + "," +
                    number(r.speedup) + "," + number(r.filter_speedup) + "," +
                    number(r.efficiency) + "," +
                    (r.procs_threads_ratio ? number(*r.procs_threads_ratio) : "") + ",";
  row += r.cold ? ms(r.cold->job) + "," + ms(r.cold->phases.start_workers) + "," : ",,";
  row += ms(r.send.median) + "," + ms(r.collect.median) + "," + std::to_string(r.queue_bytes) +
         "," + std::to_string(r.parent_peak_rss_kb) + "," +
         (procs ? std::to_string(r.workers_peak_rss_kb) : "") + ",";
  if (r.config.streamed) {
    row += ms(r.decode.median) + "," + ms(r.encode.median) + "," + ms(r.pipeline.median) + "," +
           number(r.overlap) + ",";
  } else {
    row += ",,,,";
  }
  return row;
}

std::string folder_timings(const BenchRow& r) {
  const RateStats& rate = r.images_per_second;
  return ms(r.job.median) + "," + ms(r.job.min) + "," + ms(r.job.max) + "," + number(rate.median) +
         "," + number(rate.min) + "," + number(rate.max) + "," + number(r.input_mb_per_second) +
         "," + number(r.speedup) + "," +
         (r.procs_threads_ratio ? number(*r.procs_threads_ratio) : "") + "," +
         (r.cold ? ms(r.cold->job) : "") + ",";
}

void image_row(const BenchRow& r, std::ostream& out) {
  out << bench_config_name(r.config) << "," << pipeline_name(r.config) << ","
      << backend_column(r.config) << "," << r.config.workers << "," << r.config.group_workers << ","
      << r.samples.size() << ",";
  if (r.ok()) {
    out << image_timings(r) << "\n";
  } else {
    out << std::string(21, ',') << quoted(r.error) << "\n";
  }
}

void folder_row(const BenchRow& r, const BenchInput& input, std::ostream& out) {
  out << bench_config_name(r.config) << "," << backend_column(r.config) << ","
      << split_mode_name(r.config.split.value_or(SplitMode::images)) << "," << r.config.workers
      << "," << r.config.group_workers << "," << r.samples.size() << "," << input.images << ","
      << input.bytes << ",";
  if (r.ok()) {
    out << folder_timings(r) << "\n";
  } else {
    out << std::string(10, ',') << quoted(r.error) << "\n";
  }
}

class CsvReporter : public BenchReporter {
 public:
  void report(const BenchReport& report, const BenchRunInfo&, std::ostream& out) const override {
    const bool image = report.context.subject == BenchSubject::image;
    out << (image ? kImageHeader : kFolderHeader) << "\n";
    for (const BenchRow& r : report.rows) {
      if (image) {
        image_row(r, out);
      } else {
        folder_row(r, report.context.input, out);
      }
    }
  }
};

}  // namespace

std::unique_ptr<BenchReporter> make_csv_reporter() {
  return std::make_unique<CsvReporter>();
}

}  // namespace pblur::cli
