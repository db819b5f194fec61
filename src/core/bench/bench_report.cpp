#include "core/bench/bench_report.h"

#include <algorithm>

namespace pblur {

bool BenchReport::ok() const {
  return std::all_of(rows.begin(), rows.end(), [](const BenchRow& row) { return row.ok(); });
}

const BenchRow* BenchReport::find(std::string_view label, int group_workers, bool streamed) const {
  for (const BenchRow& row : rows) {
    const BenchConfig& config = row.config;
    if (config.group_workers == group_workers && config.streamed == streamed &&
        bench_label(config) == label) {
      return &row;
    }
  }
  return nullptr;
}

}  // namespace pblur
