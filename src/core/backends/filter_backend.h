#pragma once

#include <memory>
#include <stop_token>

#include <opencv2/core.hpp>

#include "core/backends/backend.h"
#include "core/backends/backend_choice.h"
#include "core/backends/process_backend.h"
#include "core/filters/filter_spec.h"
#include "core/ipc/process_runtime.h"

namespace pblur {

// Filters images with the chosen backend; worker processes are kept from one image to the next.
class FilterBackend {
 public:
  // `runtime` is needed for the process backend only, and must outlive this. When a stop is
  // requested of `stop`, filter() and stream() stop within milliseconds and throw Interrupted.
  FilterBackend(const BackendChoice& choice, ProcessRuntime* runtime, std::stop_token stop = {});

  FilterResult filter(const cv::Mat& image, const FilterChain& spec);
  // Decodes `reader`, filters and encodes into `writer` at once, strip by strip (processes and
  // threads); the sequential backend reads the whole image, filters it in one call and writes
  // it, as the reference. Finishes `writer`.
  StreamStats stream(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                     const StreamOptions& options = {});
  // Where to decode images so that filter() copies none (see ProcessBackend).
  cv::MatAllocator* image_allocator() const;
  const BackendChoice& choice() const { return choice_; }

 private:
  BackendChoice choice_;
  std::stop_token stop_;
  std::unique_ptr<ProcessBackend> processes_;
};

}  // namespace pblur
