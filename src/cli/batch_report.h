#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/backends/backend_choice.h"
#include "core/batch/batch_plan.h"
#include "core/batch/batch_runner.h"

namespace pblur::cli {

// What a batch did: the plan, each finished file's result and how the batch ended.
struct BatchTally {
  std::vector<std::string> inputs;  // folders and files
  std::string output_dir;
  const BatchPlan* plan = nullptr;
  std::vector<FileResult> results;  // FileResult::item indexes plan->work; completion order
  SplitMode split = SplitMode::images;
  BackendChoice backend;
  std::chrono::nanoseconds elapsed{0};
  int signal = 0;                 // the signal that interrupted the batch, or 0
  std::size_t halt_failures = 0;  // --halt now,fail=N: N, once N failures stopped the batch

  std::size_t count(FileStatus status) const;
  std::size_t not_started() const;
  double images_per_second() const;
};

// The closing lines on stderr: counts, time, images/s and every failure with its reason. With
// `quiet`, only an interruption is summarised (failures were printed as they happened).
void print_summary(const BatchTally& tally, bool quiet, bool verbose);

// True for the report names that mean standard output: "-" and "/dev/stdout".
bool report_goes_to_stdout(const std::string& path);

// The same per-file results as JSON, for scripts (format: docs/batch.md), to a file written
// atomically that is none of the inputs, or to standard output. Throws OutputError.
void write_json_report(const std::filesystem::path& path, const BatchTally& tally);

}  // namespace pblur::cli
