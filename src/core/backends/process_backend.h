#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include <opencv2/core.hpp>

#include "core/backends/backend.h"
#include "core/backends/stream_stats.h"
#include "core/filters/filter_spec.h"
#include "core/image/row_codec.h"
#include "core/ipc/process_pool.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

struct ProcessBackendOptions {
  int workers = 1;
  Transport transport = Transport::shared;
  int strips = 0;  // 0: one per worker
  std::optional<std::chrono::milliseconds> strip_timeout;
  // When this turns true, filter() stops within milliseconds and throws Interrupted.
  const std::atomic<bool>* stop = nullptr;
};

// Filters images strip by strip in worker processes. The pool is forked on first use, sized for
// the image, and kept for the images after it.
class ProcessBackend {
 public:
  ProcessBackend(ProcessRuntime& runtime, ProcessBackendOptions options);
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
  ProcessBackendOptions options_;
  std::unique_ptr<ProcessPool> pool_;
};

}  // namespace pblur
