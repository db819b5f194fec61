#include "core/batch/batch_runner.h"

#include <stdexcept>

#include "core/batch/image_batch.h"
#include "core/batch/reported_items.h"
#include "core/batch/strip_pipeline.h"

namespace pblur {

void run_batch(std::span<const BatchItem> items, const BatchRunOptions& options,
               ProcessRuntime* runtime, const FileReport& report) {
  if (items.empty()) return;
  ReportedItems reported(items, report);
  if (options.split == SplitMode::strips) {
    run_strip_pipeline(items, options, runtime, reported);
  } else if (options.backend.kind == BackendKind::processes) {
    if (!runtime) throw std::logic_error("the process backend needs a ProcessRuntime");
    run_images_in_processes(items, options, *runtime, reported);
  } else {
    run_images_in_threads(items, options, reported);
  }
}

}  // namespace pblur
