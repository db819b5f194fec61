#include "core/filters/opencv_filters.h"

#include <opencv2/imgproc.hpp>

namespace pblur {
namespace {

void unsharp(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  cv::Mat blurred;
  cv::GaussianBlur(src, blurred, cv::Size(), spec.sigma, spec.sigma, cv::BORDER_REFLECT_101);
  cv::addWeighted(src, 1 + spec.amount, blurred, -spec.amount, 0, dst);
  if (spec.threshold <= 0) return;
  cv::Mat difference, keep;
  cv::absdiff(src, blurred, difference);
  cv::compare(difference.reshape(1), spec.threshold, keep, cv::CMP_LT);
  cv::Mat flat_dst = dst.reshape(1);
  src.reshape(1).copyTo(flat_dst, keep);
}

void bilateral(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  const int border = opencv_border(spec.border);
  if (src.channels() != 4) {
    cv::bilateralFilter(src, dst, spec.diameter, spec.sigma_color, spec.sigma_space, border);
    return;
  }
  cv::Mat colour(src.size(), CV_8UC3), filtered;
  cv::mixChannels(src, colour, {0, 0, 1, 1, 2, 2});
  cv::bilateralFilter(colour, filtered, spec.diameter, spec.sigma_color, spec.sigma_space, border);
  dst.create(src.size(), src.type());
  cv::mixChannels(std::vector<cv::Mat>{filtered, src}, std::vector<cv::Mat>{dst},
                  {0, 0, 1, 1, 2, 2, 6, 3});
}

void kernel(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  const int rows = spec.kernel_count / spec.kernel_cols;
  cv::Mat matrix(rows, spec.kernel_cols, CV_32F, const_cast<float*>(spec.kernel.data()));
  cv::Mat scaled = matrix * spec.scale;
  cv::filter2D(src, dst, -1, scaled, cv::Point(spec.anchor_x, spec.anchor_y), spec.offset,
               opencv_border(spec.border));
}

int morphology_operation(FilterKind kind) {
  switch (kind) {
    case FilterKind::erode:
      return cv::MORPH_ERODE;
    case FilterKind::dilate:
      return cv::MORPH_DILATE;
    case FilterKind::open:
      return cv::MORPH_OPEN;
    case FilterKind::close:
      return cv::MORPH_CLOSE;
    case FilterKind::gradient:
      return cv::MORPH_GRADIENT;
    case FilterKind::tophat:
      return cv::MORPH_TOPHAT;
    default:
      return cv::MORPH_BLACKHAT;
  }
}

int opencv_shape(MorphShape shape) {
  switch (shape) {
    case MorphShape::ellipse:
      return cv::MORPH_ELLIPSE;
    case MorphShape::cross:
      return cv::MORPH_CROSS;
    default:
      return cv::MORPH_RECT;
  }
}

void morphology(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  const cv::Mat element =
      cv::getStructuringElement(opencv_shape(spec.shape), cv::Size(spec.size, spec.size));
  cv::morphologyEx(src, dst, morphology_operation(spec.kind), element, cv::Point(-1, -1),
                   spec.iterations);
}

void min_max(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  const cv::Mat square = cv::Mat::ones(spec.size, spec.size, CV_8U);
  if (spec.kind == FilterKind::min) {
    cv::erode(src, dst, square);
  } else {
    cv::dilate(src, dst, square);
  }
}

void derivative(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  const int border = opencv_border(spec.border);
  const int ksize = effective_kernel_size(spec, src.depth());
  cv::Mat dx, dy, magnitude;
  if (spec.kind == FilterKind::laplacian) {
    cv::Laplacian(src, dx, CV_32F, ksize, spec.scale, 0, border);
    magnitude = cv::abs(dx);
  } else {
    if (spec.kind == FilterKind::sobel) {
      cv::Sobel(src, dx, CV_32F, 1, 0, ksize, spec.scale, 0, border);
      cv::Sobel(src, dy, CV_32F, 0, 1, ksize, spec.scale, 0, border);
    } else {
      cv::Scharr(src, dx, CV_32F, 1, 0, spec.scale, 0, border);
      cv::Scharr(src, dy, CV_32F, 0, 1, spec.scale, 0, border);
    }
    cv::magnitude(dx.reshape(1), dy.reshape(1), magnitude);
  }
  magnitude.reshape(src.channels()).convertTo(dst, src.depth());
}

}  // namespace

bool is_opencv_filter(FilterKind kind) {
  return kind >= FilterKind::unsharp && kind <= FilterKind::max;
}

void apply_opencv_filter(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst) {
  if (spec.kind == FilterKind::unsharp) {
    unsharp(spec, src, dst);
  } else if (spec.kind == FilterKind::bilateral) {
    bilateral(spec, src, dst);
  } else if (spec.kind == FilterKind::kernel) {
    kernel(spec, src, dst);
  } else if (is_morphology(spec.kind)) {
    morphology(spec, src, dst);
  } else if (is_derivative(spec.kind)) {
    derivative(spec, src, dst);
  } else {
    min_max(spec, src, dst);
  }
}

}  // namespace pblur
