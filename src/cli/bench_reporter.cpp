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

std::string bench_config_name(const BatchBenchConfig& config) {
  if (config.backend == BackendKind::sequential) {
    return "seq/group:" + std::to_string(config.group_workers);
  }
  return batch_bench_label(config) + "/workers:" + std::to_string(config.workers);
}

std::string describe_bench_config(const BatchBenchConfig& config) {
  if (config.backend == BackendKind::sequential) {
    return "seq (measured with the " + std::to_string(config.group_workers) + "-worker group)";
  }
  return batch_bench_label(config) + " with " + std::to_string(config.workers) +
         (config.workers == 1 ? " worker" : " workers");
}

std::string batch_backend_name(const BatchBenchConfig& config) {
  switch (config.backend) {
    case BackendKind::sequential:
      return "seq";
    case BackendKind::processes:
      return "procs";
    case BackendKind::threads:
      return "threads";
  }
  return "unknown";
}

double to_ms(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

}  // namespace pblur::cli
