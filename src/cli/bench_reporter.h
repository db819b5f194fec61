#pragma once

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/bench/bench_report.h"

namespace pblur::cli {

// What the command knows about a benchmark beyond the core's context.
struct BenchRunInfo {
  std::string image_path;  // the folder, with --batch
  std::string executable;
};

// Writes a benchmark report, of an image or of a folder, in one format.
class BenchReporter {
 public:
  virtual ~BenchReporter() = default;
  virtual void report(const BenchReport& report, const BenchRunInfo& info,
                      std::ostream& out) const = 0;
};

// Tables for a terminal, 100 columns wide.
std::unique_ptr<BenchReporter> make_console_reporter();
// In the spirit of Google Benchmark's JSON: a context object and a list of benchmarks with one
// entry per run and median, min and max aggregates per configuration.
std::unique_ptr<BenchReporter> make_json_reporter();
// One row per configuration.
std::unique_ptr<BenchReporter> make_csv_reporter();

// "procs-shared/workers:2", "procs-images/workers:2", "streamed/threads/workers:2"; the reference:
// "seq/group:2".
std::string bench_config_name(const BenchConfig& config);

// "threads with 2 workers", "seq (measured with the 2-worker group)", "streamed procs-copy with
// 1 worker"
std::string describe_bench_config(const BenchConfig& config);

// "streamed" (file to file) or "memory".
const char* pipeline_name(const BenchConfig& config);

// "640x480 BGR 8-bit"
std::string describe_image(const BenchImage& image);

// The backend column: on an image the label ("procs-shared"), on a folder the backend alone
// ("procs"), the split having a column of its own.
std::string backend_column(const BenchConfig& config);

// "threads with 2 workers: output differs from seq's in ...": one line per configuration that
// failed, in the order of the rows.
std::vector<std::string> bench_error_lines(const BenchReport& report);

// The context's facts in words, for a reader of the report.
std::string describe_fork_safety();
std::string describe_pool_lifetime(BenchSubject subject);
std::string describe_input(BenchSubject subject);
std::string describe_order(const BenchReport& report);

double to_ms(std::chrono::nanoseconds duration);

}  // namespace pblur::cli
