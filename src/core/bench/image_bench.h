#pragma once

#include <string>

#include <opencv2/core.hpp>

#include "core/bench/bench_config.h"
#include "core/bench/bench_engine.h"
#include "core/bench/bench_report.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// What the bench of one image compares, in the order each round runs them: the sequential
// reference, oneTBB threads, and worker processes with each transport.
inline constexpr BenchConfig kImageBenchConfigs[] = {
    {BackendKind::sequential, Transport::shared, std::nullopt, 1, 1},
    {BackendKind::threads, Transport::shared, std::nullopt, 1, 1},
    {BackendKind::processes, Transport::shared, std::nullopt, 1, 1},
    {BackendKind::processes, Transport::copy, std::nullopt, 1, 1},
};

// Why `output` differs from the sequential reference's `reference`, or "" if it is the same bytes.
std::string compare_with_reference(const cv::Mat& reference, const cv::Mat& output);

// Runs every configuration of kImageBenchConfigs on `image`, held in memory, and checks each
// output against the sequential one; worker pools are kept from a configuration's cold run to its
// last. `runtime` must have been created before any thread. Throws UsageError for bad options; a
// failed run or a mismatch is its row's error, not thrown.
BenchReport run_image_bench(ProcessRuntime& runtime, const cv::Mat& image,
                            const BenchOptions& options);

}  // namespace pblur
