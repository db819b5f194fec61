#include "core/filters/filters.h"

#include <opencv2/imgproc.hpp>

#include "core/filters/pil_blur.h"

namespace pblur {
namespace {

void apply_opencv_filter(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  const int ksize = effective_kernel_size(spec, src.depth());
  const int border = opencv_border(spec.border);
  switch (spec.kind) {
    case FilterKind::gaussian:
      cv::GaussianBlur(src, dst, cv::Size(spec.ksize, spec.ksize), spec.sigma, spec.sigma, border);
      break;
    case FilterKind::box:
      cv::blur(src, dst, cv::Size(ksize, ksize), cv::Point(-1, -1), border);
      break;
    case FilterKind::median:
      cv::medianBlur(src, dst, ksize);
      break;
    case FilterKind::pil_blur:
      break;
  }
}

}  // namespace

cv::Mat standalone_rows(const cv::Mat& image, int begin, int end) {
  return cv::Mat(end - begin, image.cols, image.type(), const_cast<uchar*>(image.ptr(begin)),
                 image.step[0]);
}

cv::Mat filter_image(const cv::Mat& image, const FilterSpec& spec) {
  cv::Mat result;
  if (spec.kind == FilterKind::pil_blur) {
    result.create(image.size(), image.type());
    pil_blur_rows(image, 0, image.rows, 0, image.rows, result);
  } else {
    apply_opencv_filter(spec, image, result);
  }
  return result;
}

void filter_strip(const FilterSpec& spec, const cv::Mat& context, const Strip& strip,
                  int image_rows, cv::Mat& out) {
  if (spec.kind == FilterKind::pil_blur) {
    pil_blur_rows(context, strip.context_begin, image_rows, strip.begin, strip.end, out);
    return;
  }
  if (strip.context_begin == strip.begin && strip.context_end == strip.end) {
    apply_opencv_filter(spec, context, out);  // no context rows to drop: straight into place
    return;
  }
  // Kept from one strip to the next: a fresh buffer each time costs its page faults again.
  thread_local cv::Mat filtered;
  apply_opencv_filter(spec, context, filtered);
  const int skip = strip.begin - strip.context_begin;
  filtered.rowRange(skip, skip + strip.rows()).copyTo(out);
}

}  // namespace pblur
