#pragma once

#include <memory>
#include <stop_token>

#include <opencv2/core.hpp>

#include "core/backends/backend.h"
#include "core/backends/backend_choice.h"
#include "core/backends/stream_stats.h"
#include "core/filters/filter_spec.h"
#include "core/image/row_codec.h"
#include "core/ipc/process_pool.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// Filters images strip by strip in worker processes. The pool is forked on first use, sized for
// the image, and kept for the images after it.
class ProcessBackend {
 public:
  // `choice.kind` is not looked at: these are processes.
  // When a stop is requested of `stop`, filter() and stream() stop within milliseconds and throw
  // Interrupted.
  ProcessBackend(ProcessRuntime& runtime, const BackendChoice& choice, std::stop_token stop = {});
  ~ProcessBackend();

  // Where to decode images so that filter() needs no copy: shared memory for the shared
  // transport, nullptr (anywhere) for the copy transport.
  cv::MatAllocator* image_allocator() const;

  // Throws ProcessingError if a strip cannot be done (say, it kept killing its workers).
  FilterResult filter(const cv::Mat& image, const FilterChain& spec);

  // Decodes, filters and encodes at once (see stream_with_processes).
  StreamStats stream(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                     const StreamOptions& options = {});

 private:
  void ensure_pool(std::size_t task_bytes, std::size_t result_bytes, PhaseTimes& times);
  FilterResult filter_shared(const cv::Mat& image, const FilterChain& spec);
  FilterResult filter_copied(const cv::Mat& image, const FilterChain& spec);

  ProcessRuntime& runtime_;
  BackendChoice choice_;
  std::stop_token stop_;
  std::unique_ptr<ProcessPool> pool_;
};

}  // namespace pblur
