#pragma once

#include <span>

#include "core/batch/batch_options.h"
#include "core/batch/batch_plan.h"
#include "core/batch/reported_items.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// The strips split: one image at a time through a FilterBackend that keeps its workers from one
// image to the next, while a thread loads the next image and another saves the previous one.
void run_strip_pipeline(std::span<const BatchItem> items, const BatchRunOptions& options,
                        ProcessRuntime* runtime, ReportedItems& reported);

}  // namespace pblur
