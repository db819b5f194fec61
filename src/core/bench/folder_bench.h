#pragma once

#include <span>

#include "core/batch/batch_plan.h"
#include "core/bench/bench_config.h"
#include "core/bench/bench_engine.h"
#include "core/bench/bench_report.h"
#include "core/image/image_io.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// What the bench of a folder compares, in the order each round runs them: the sequential
// reference, then processes and threads, each splitting the folder by images and by strips.
inline constexpr BenchConfig kFolderBenchConfigs[] = {
    {BackendKind::sequential, Transport::shared, SplitMode::images, 1, 1},
    {BackendKind::processes, Transport::shared, SplitMode::images, 1, 1},
    {BackendKind::processes, Transport::shared, SplitMode::strips, 1, 1},
    {BackendKind::threads, Transport::shared, SplitMode::images, 1, 1},
    {BackendKind::threads, Transport::shared, SplitMode::strips, 1, 1},
};

// Filters `items` (their `output` is not used) with every configuration of kFolderBenchConfigs,
// as `pblur batch` does, each configuration writing into its own subfolder of a temporary folder
// that is removed at the end; every output file must be the same bytes as the sequential run's.
// `runtime` must have been created before any thread. Throws UsageError for bad options,
// InputError if there are no items or the first image cannot be read, OutputError if the
// temporary folder cannot be made, Interrupted (after removing the temporary folder) when
// a stop is requested of `options.stop`; a failed file or a mismatch is its row's error, not
// thrown.
BenchReport run_folder_bench(ProcessRuntime& runtime, std::span<const BatchItem> items,
                             const LoadOptions& load, const BenchOptions& options);

}  // namespace pblur
