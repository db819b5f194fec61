#pragma once

#include <span>
#include <string>

#include "core/bench/bench_context.h"
#include "core/bench/bench_engine.h"

namespace pblur::cli {

// `pblur bench -v`: the settings of a benchmark before its first run, then one line per run as
// it ends, on stderr.
class BenchVerbose {
 public:
  // `subject`: the image's file, or the folder.
  explicit BenchVerbose(std::string subject) : subject_(std::move(subject)) {}

  // Before the first run of a workload: the settings the first time, then what it measures.
  void start(const BenchContext& context, std::span<const BenchConfig> configs);
  // "pblur bench: timed 2 of 5, threads with 2 workers: 12.3 ms"
  void run(const BenchProgress& progress) const;

 private:
  void settings(const BenchContext& context) const;

  std::string subject_;
  bool started_ = false;
};

}  // namespace pblur::cli
