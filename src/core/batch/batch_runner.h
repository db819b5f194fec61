#pragma once

#include <span>

#include "core/batch/batch_options.h"
#include "core/batch/batch_plan.h"
#include "core/batch/file_result.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// Filters every item, calling `report` for each as it finishes (completion order), one call at a
// time, on this thread or one of the run's oneTBB threads. A file that cannot be read, filtered or
// written, or whose worker process keeps dying (see PoolOptions::max_attempts), is reported failed
// and the batch goes on. With the process backend, worker processes are forked once for the whole
// batch. Throws Interrupted when a stop is requested, after reporting every file that was finished;
// no partial output is left behind. `runtime` is needed for the process backend only.
void run_batch(std::span<const BatchItem> items, const BatchRunOptions& options,
               ProcessRuntime* runtime, const FileReport& report);

}  // namespace pblur
