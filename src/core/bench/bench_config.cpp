#include "core/bench/bench_config.h"

namespace pblur {

std::string bench_label(const BenchConfig& config) {
  std::string label(backend_name(config.backend));
  if (config.backend == BackendKind::sequential) return label;
  if (config.split) return label + "-" + std::string(split_mode_name(*config.split));
  if (config.backend == BackendKind::processes) {
    return label + "-" + std::string(transport_name(config.transport));
  }
  return label;
}

bool is_process_config(const BenchConfig& config) {
  return config.backend == BackendKind::processes;
}

BackendChoice backend_choice_of(const BenchConfig& config, int strips) {
  BackendChoice choice;
  choice.kind = config.backend;
  choice.transport = config.transport;
  choice.workers = config.workers;
  choice.strips = strips;
  return choice;
}

}  // namespace pblur
