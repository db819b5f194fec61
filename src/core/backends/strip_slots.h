#pragma once

#include <cstddef>
#include <vector>

#include <opencv2/core.hpp>

#include "core/backends/stream_plan.h"
#include "core/image/row_codec.h"

namespace pblur {

// The memory of the strips in flight: for each, its context rows and its filtered rows. Strip i
// uses slot i % in_flight, which the pipeline has freed by then.
class StripSlots {
 public:
  // `allocator` places the pixels (shared memory for worker processes); nullptr: the heap.
  StripSlots(const StreamPlan& plan, const RowLayout& layout, cv::MatAllocator* allocator);

  // Rows [strip.context_begin, strip.context_end) of the image, as a standalone image.
  cv::Mat context(const Strip& strip) const;
  // Where the strip's filtered rows go.
  cv::Mat output(const Strip& strip) const;
  std::size_t bytes() const;

 private:
  const cv::Mat& slot(const Strip& strip, const std::vector<cv::Mat>& mats) const;

  std::vector<cv::Mat> contexts_;
  std::vector<cv::Mat> outputs_;
};

}  // namespace pblur
