#include "cli/bench_reporter.h"

namespace pblur::cli {

std::string bench_config_name(const BenchConfig& config) {
  std::string name(bench_backend_name(config.backend));
  if (config.backend == BenchBackend::sequential) {
    return name + "/group:" + std::to_string(config.group_workers);
  }
  return name + "/workers:" + std::to_string(config.workers);
}

std::string describe_bench_config(const BenchConfig& config) {
  std::string name(bench_backend_name(config.backend));
  if (config.backend == BenchBackend::sequential) {
    return name + " (measured with the " + std::to_string(config.group_workers) + "-worker group)";
  }
  return name + " with " + std::to_string(config.workers) +
         (config.workers == 1 ? " worker" : " workers");
}

double to_ms(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

}  // namespace pblur::cli
