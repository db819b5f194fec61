#pragma once

#include <span>

#include "core/batch/batch_options.h"
#include "core/batch/batch_plan.h"
#include "core/batch/reported_items.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// The images split: every worker decodes, filters and encodes whole images of its own (see
// run_image_job: strip by strip where they stream). With worker processes (forked once for the
// batch), a worker that dies costs its image at most.
void run_images_in_processes(std::span<const BatchItem> items, const BatchRunOptions& options,
                             ProcessRuntime& runtime, ReportedItems& reported);

// The images split on threads of this process (--threads N; --seq: one thread).
void run_images_in_threads(std::span<const BatchItem> items, const BatchRunOptions& options,
                           ReportedItems& reported);

}  // namespace pblur
