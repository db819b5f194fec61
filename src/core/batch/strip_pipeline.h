#pragma once

#include <span>

#include "core/batch/batch_options.h"
#include "core/batch/batch_plan.h"
#include "core/batch/reported_items.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// The strips split: one image at a time through a FilterBackend that keeps its workers from one
// image to the next, streamed as `pblur IN OUT` streams it (decoded, filtered by the workers and
// encoded at once, in a window of rows); an image that cannot stream is loaded and filtered
// whole while the previous one is saved.
void run_strip_pipeline(std::span<const BatchItem> items, const BatchRunOptions& options,
                        ProcessRuntime* runtime, ReportedItems& reported);

}  // namespace pblur
