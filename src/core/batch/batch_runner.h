#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/backends/backend_choice.h"
#include "core/backends/filter_backend.h"
#include "core/batch/batch_plan.h"
#include "core/filters/filter_spec.h"
#include "core/image/image_io.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// How a batch spreads over the workers: `images`, each worker loads, filters and saves whole
// images of its own; `strips`, images go one at a time, each split in strips across the workers,
// while this process loads the next image and saves the previous one.
enum class SplitMode { automatic, images, strips };

std::optional<SplitMode> parse_split_mode(std::string_view name);
std::string_view split_mode_name(SplitMode mode);

struct SplitDecision {
  SplitMode mode = SplitMode::images;
  std::string reason;  // why, for -v: "50 images >= 2 workers"
};

// `requested` unless automatic; then images when there are at least as many images as workers
// (every worker has an image of its own) and one image per worker fits in half the memory (the
// largest images judged by their headers: decoded, filtered and encoded, 12 bytes a pixel); strips
// otherwise (too few images to keep every worker busy, or too large to hold one per worker).
SplitDecision choose_split(SplitMode requested, std::span<const BatchItem> items, int workers);

enum class FileStatus { processed, skipped, failed };
std::string_view file_status_name(FileStatus status);

// Time spent on one file in each phase, by whichever process or thread did that phase.
struct FileTimes {
  std::chrono::nanoseconds load{0};
  std::chrono::nanoseconds filter{0};
  std::chrono::nanoseconds save{0};
};

struct FileResult {
  std::size_t item = 0;  // index into the items given to run_batch
  FileStatus status = FileStatus::processed;
  std::string reason;  // when failed: one line that names the file
  std::uint64_t output_bytes = 0;
  FileTimes times;
};

struct BatchRunOptions {
  FilterChain spec;
  LoadOptions load;
  SaveOptions save;
  // The backend and its worker count; strip_timeout limits one task: an image (images) or a strip.
  BackendChoice backend;
  SplitMode split = SplitMode::images;  // images or strips (see choose_split)
  // When a stop is requested, run_batch stops within milliseconds (threads: after their current
  // image).
  std::stop_token stop;
};

using FileReport = std::function<void(const FileResult&)>;

// Filters every item, calling `report` for each as it finishes (completion order), one call at a
// time, on this thread or one of the run's oneTBB threads. A file that cannot be read, filtered or
// written, or whose worker process keeps dying (see PoolOptions::max_attempts), is reported failed
// and the batch goes on. With the process backend, worker processes are forked once for the whole
// batch. Throws Interrupted when a stop is requested, after reporting every file that was finished;
// no partial output is left behind. `runtime` is needed for the process backend only.
void run_batch(std::span<const BatchItem> items, const BatchRunOptions& options,
               ProcessRuntime* runtime, const FileReport& report);

}  // namespace pblur
