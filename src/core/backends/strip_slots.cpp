#include "core/backends/strip_slots.h"

namespace pblur {
namespace {

cv::Mat allocate(int rows, int cols, int type, cv::MatAllocator* allocator) {
  cv::Mat mat;
  mat.allocator = allocator;
  mat.create(rows, cols, type);
  return mat;
}

}  // namespace

StripSlots::StripSlots(const StreamPlan& plan, const RowLayout& layout,
                       cv::MatAllocator* allocator) {
  for (int i = 0; i < plan.in_flight; ++i) {
    contexts_.push_back(allocate(plan.context_rows(), layout.width, layout.cv_type(), allocator));
    outputs_.push_back(allocate(plan.strip_rows, layout.width, layout.cv_type(), allocator));
  }
}

const cv::Mat& StripSlots::slot(const Strip& strip, const std::vector<cv::Mat>& mats) const {
  return mats[std::size_t(strip.index) % mats.size()];
}

cv::Mat StripSlots::context(const Strip& strip) const {
  const cv::Mat& mat = slot(strip, contexts_);
  return cv::Mat(strip.context_rows(), mat.cols, mat.type(), mat.data, mat.step[0]);
}

cv::Mat StripSlots::output(const Strip& strip) const {
  const cv::Mat& mat = slot(strip, outputs_);
  return cv::Mat(strip.rows(), mat.cols, mat.type(), mat.data, mat.step[0]);
}

std::size_t StripSlots::bytes() const {
  std::size_t total = 0;
  for (const cv::Mat& mat : contexts_) total += mat.total() * mat.elemSize();
  for (const cv::Mat& mat : outputs_) total += mat.total() * mat.elemSize();
  return total;
}

}  // namespace pblur
