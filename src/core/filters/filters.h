#pragma once

#include <opencv2/core.hpp>

#include "core/filters/filter_spec.h"
#include "core/filters/strip_plan.h"

namespace pblur {

// The reference result: the filter applied by one call to the whole image.
cv::Mat filter_image(const cv::Mat& image, const FilterSpec& spec);

// Produces the rows of `strip` into `out` (strip.rows() rows). `context` holds the image's rows
// [strip.context_begin, strip.context_end) and must be a standalone Mat (see standalone_rows):
// the result is then bit-identical to the same rows of filter_image().
void filter_strip(const FilterSpec& spec, const cv::Mat& context, const Strip& strip,
                  int image_rows, cv::Mat& out);

// A header over rows [begin, end) of `image` that OpenCV treats as a whole image. OpenCV filters
// a sub-matrix through a path that reads outside it and is not bit-exact; this header is not one.
cv::Mat standalone_rows(const cv::Mat& image, int begin, int end);

}  // namespace pblur
