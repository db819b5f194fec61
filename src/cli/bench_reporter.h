#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "core/batch_bench.h"
#include "core/bench.h"

namespace pblur::cli {

// What the command knows about a benchmark beyond the core's context.
struct BenchRunInfo {
  std::string image_path;  // the folder, with --batch
  std::string executable;
};

// Writes a benchmark report in one format.
class BenchReporter {
 public:
  virtual ~BenchReporter() = default;
  virtual void report(const BenchReport& report, const BenchRunInfo& info,
                      std::ostream& out) const = 0;
  virtual void report(const BatchBenchReport& report, const BenchRunInfo& info,
                      std::ostream& out) const = 0;
};

// Tables for a terminal, 100 columns wide.
std::unique_ptr<BenchReporter> make_console_reporter();
// In the spirit of Google Benchmark's JSON: a context object and a list of benchmarks with one
// entry per run and median, min and max aggregates per configuration.
std::unique_ptr<BenchReporter> make_json_reporter();
// One row per configuration.
std::unique_ptr<BenchReporter> make_csv_reporter();

// "procs-shared/workers:2"; the reference: "seq/group:2".
std::string bench_config_name(const BenchConfig& config);

// "threads with 2 workers", "seq (measured with the 2-worker group)"
std::string describe_bench_config(const BenchConfig& config);

// "procs-images/workers:2"; the reference: "seq/group:2".
std::string bench_config_name(const BatchBenchConfig& config);

// "procs-images with 2 workers", "seq (measured with the 2-worker group)"
std::string describe_bench_config(const BatchBenchConfig& config);

// "seq", "procs", "threads"
std::string batch_backend_name(const BatchBenchConfig& config);

double to_ms(std::chrono::nanoseconds duration);

}  // namespace pblur::cli
