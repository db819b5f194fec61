#pragma once

#include <filesystem>
#include <string>

#include "core/bench/bench_config.h"
#include "core/bench/bench_engine.h"
#include "core/bench/bench_report.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// The configurations of kImageBenchConfigs, streamed file to file.
inline constexpr BenchConfig kStreamBenchConfigs[] = {
    {BackendKind::sequential, Transport::shared, std::nullopt, 1, 1, true},
    {BackendKind::threads, Transport::shared, std::nullopt, 1, 1, true},
    {BackendKind::processes, Transport::shared, std::nullopt, 1, 1, true},
    {BackendKind::processes, Transport::copy, std::nullopt, 1, 1, true},
};

// Runs every configuration of kStreamBenchConfigs on the file `input` as `pblur INPUT OUTPUT`
// does: decoded, filtered and encoded at once, strip by strip (seq: whole), into an output of
// the input's format (PNG where pblur does not write that format row by row) in a temporary
// folder removed at the end; every output must be the same bytes as the sequential reference's.
// Appends its rows to `report`, whose context gives the worker counts and run counts. When the
// file cannot stream, appends no rows and sets the context's `not_streamed`. Throws what
// run_bench_engine throws; a failed run or a mismatch is its row's error.
void run_stream_bench(ProcessRuntime& runtime, const std::filesystem::path& input,
                      const BenchOptions& options, BenchReport& report);

}  // namespace pblur
