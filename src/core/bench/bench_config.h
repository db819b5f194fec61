#pragma once

#include <optional>
#include <string>

#include "core/backends/backend_choice.h"
#include "core/batch/batch_options.h"

namespace pblur {

// One way of filtering at one worker count, in the backends' vocabulary. Configurations are
// measured in groups, one per worker count; the sequential reference is measured in every group,
// alongside the others.
struct BenchConfig {
  BackendKind backend = BackendKind::sequential;
  Transport transport = Transport::shared;  // processes
  std::optional<SplitMode> split;           // folders only: how `pblur batch` spreads them
  int workers = 1;                          // 1 for the sequential reference
  int group_workers = 1;                    // the worker count of the group it was measured in
  bool streamed = false;  // an image streamed file to file, as `pblur IN OUT` runs, not in memory
};

// "seq"; on an image "threads", "procs-shared", "procs-copy"; on a folder "threads-images",
// "threads-strips", "procs-images", "procs-strips".
std::string bench_label(const BenchConfig& config);

bool is_process_config(const BenchConfig& config);

// The backend that runs `config`, cutting an image into `strips` strips (0: one per worker).
BackendChoice backend_choice_of(const BenchConfig& config, int strips);

}  // namespace pblur
