#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <opencv2/core.hpp>

#include "core/filters/filter_spec.h"
#include "core/filters/strip_plan.h"
#include "core/ipc/process_pool.h"

namespace pblur {

// One strip's work order for a worker process. With the shared transport `context` and `output`
// are addresses in the shared arena (the same in every process): the strip's context rows and
// its first output row. With the copy transport both are 0, the context rows follow this header
// in the message and the filtered rows go back in the result.
struct StripTask {
  std::uint64_t context = 0;
  std::uint64_t output = 0;
  std::uint64_t step = 0;  // bytes from one row to the next, in `context` and `output`
  std::int32_t image_rows = 0;
  std::int32_t cols = 0;
  std::int32_t type = 0;
  std::int32_t unused = 0;
  Strip strip;
  FilterChain spec;
};

// What a worker sends back after a strip (then, with the copy transport, the strip's rows).
struct StripReport {
  std::int64_t filter_ns = 0;
  std::int64_t peak_rss_kb = 0;  // the worker's, read after the strip, while its pages are mapped
};

// A task over shared memory: `context` holds the strip's context rows, `output` receives its rows.
StripTask shared_strip_task(const cv::Mat& context, const cv::Mat& output, const Strip& strip,
                            int image_rows, const FilterChain& spec);
// A task whose context rows travel in the message after it.
StripTask copied_strip_task(const cv::Mat& context, const Strip& strip, int image_rows,
                            const FilterChain& spec);

// The ProcessPool handler of strip tasks; runs in a worker process.
void filter_strip_task(std::span<const std::byte> message, const ResultSender& send);

// The report at the head of a strip's result, and the filtered rows after it (copy transport).
StripReport strip_report(std::span<const std::byte> result);
std::span<const std::byte> strip_rows(std::span<const std::byte> result);

// "strip 6 of 8 (rows 50-59) failed: " and `error`.
std::string describe_strip_failure(const Strip& strip, std::size_t strips,
                                   const std::string& error);

}  // namespace pblur
