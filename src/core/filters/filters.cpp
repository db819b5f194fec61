#include "core/filters/filters.h"

#include <array>

#include <opencv2/imgproc.hpp>

#include "core/filters/opencv_filters.h"
#include "core/filters/pil_blur.h"
#include "core/filters/pil_box_blur.h"
#include "core/filters/pil_kernels.h"
#include "core/filters/pixel_mode_rows.h"
#include "core/filters/rank_filter.h"

namespace pblur {
namespace {

// OpenCV's medianBlur takes 16-bit images up to size 5 and fails on some large 8-bit sizes.
void median(const cv::Mat& src, cv::Mat& dst, int ksize) {
  const bool opencv_takes_it = ksize <= 5 || (src.depth() == CV_8U && ksize <= 15);
  if (opencv_takes_it) {
    cv::medianBlur(src, dst, ksize);
  } else {
    rank_filter(src, dst, ksize, ksize * ksize / 2);
  }
}

// Pillow's RankFilter: the window's value of rank `rank`, edges repeated.
void pil_rank(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  const cv::Mat square = cv::Mat::ones(spec.size, spec.size, CV_8U);
  if (spec.kind == FilterKind::pil_min) {
    cv::erode(src, dst, square, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  } else if (spec.kind == FilterKind::pil_max) {
    cv::dilate(src, dst, square, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  } else if (spec.kind == FilterKind::pil_median) {
    median(src, dst, spec.size);  // the same middle value, OpenCV's where it takes the size
  } else {
    rank_filter(src, dst, spec.size, spec.rank);
  }
}

// Filters that see the window as a whole image: whole-image calls of OpenCV and the like.
void apply_whole(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
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
      median(src, dst, ksize);
      break;
    case FilterKind::pil_gaussian:
      pil_gaussian_blur(src, dst, spec.radius);
      break;
    case FilterKind::pil_box:
      pil_box_blur(src, dst, spec.radius, 1);
      break;
    case FilterKind::pil_unsharp:
      pil_unsharp_mask(src, dst, spec.radius, spec.percent, int(spec.threshold));
      break;
    default:
      if (is_opencv_filter(spec.kind)) {
        apply_opencv_filter(spec, src, dst);
      } else {
        pil_rank(spec, src, dst);
      }
      break;
  }
}

bool reads_rows_in_place(FilterKind kind) {
  return (kind >= FilterKind::pil_blur && kind <= FilterKind::pil_kernel) ||
         kind == FilterKind::pil_mode;
}

}  // namespace

cv::Mat standalone_rows(const cv::Mat& image, int begin, int end) {
  return cv::Mat(end - begin, image.cols, image.type(), const_cast<uchar*>(image.ptr(begin)),
                 image.step[0]);
}

void filter_rows(const FilterSpec& spec, const cv::Mat& window, int top, int image_rows, int first,
                 int last, cv::Mat& out) {
  out.create(last - first, window.cols, window.type());
  if (spec.kind == FilterKind::pil_blur) {
    pil_blur_rows(window, top, image_rows, first, last, out);
  } else if (spec.kind == FilterKind::pil_mode) {
    pil_mode_rows(window, top, image_rows, spec.size, first, last, out);
  } else if (reads_rows_in_place(spec.kind)) {
    pil_kernel_rows(spec, window, top, image_rows, first, last, out);
  } else if (top == first && window.rows == last - first) {
    apply_whole(spec, window, out);  // no context rows to drop: straight into place
  } else {
    // Kept from one strip to the next: a fresh buffer each time costs its page faults again.
    thread_local cv::Mat filtered;
    apply_whole(spec, window, filtered);
    filtered.rowRange(first - top, last - top).copyTo(out);
  }
}

cv::Mat filter_image(const cv::Mat& image, const FilterChain& chain) {
  cv::Mat current = image;
  for (const FilterSpec& spec : chain.filters()) {
    cv::Mat next;
    filter_rows_in_mode(chain.pixel_mode(), spec, current, 0, image.rows, 0, image.rows, next);
    current = next;
  }
  return current;
}

void filter_strip(const FilterChain& chain, const cv::Mat& context, const Strip& strip,
                  int image_rows, cv::Mat& out) {
  const int depth = context.depth();
  thread_local std::array<cv::Mat, 2> between;  // one filter's rows, read by the next
  int remaining = filter_radius(chain, depth);
  cv::Mat window = context;
  int top = strip.context_begin;
  const auto filters = chain.filters();
  for (std::size_t i = 0; i < filters.size(); ++i) {
    remaining -= filter_radius(filters[i], depth);
    const int first = std::max(0, strip.begin - remaining);
    const int last = std::min(image_rows, strip.end + remaining);
    cv::Mat& target = i + 1 == filters.size() ? out : between[i % 2];
    filter_rows_in_mode(chain.pixel_mode(), filters[i], window, top, image_rows, first, last,
                        target);
    window = target;
    top = first;
  }
}

}  // namespace pblur
