#pragma once

#include <opencv2/core.hpp>

#include "core/filters/filter_spec.h"
#include "core/filters/strip_plan.h"

namespace pblur {

// The reference result: each filter of the chain applied by one call to the whole image, in turn.
cv::Mat filter_image(const cv::Mat& image, const FilterChain& chain);

// Produces the rows of `strip` into `out` (strip.rows() rows). `context` holds the image's rows
// [strip.context_begin, strip.context_end), the strip widened by the chain's radius, and must be
// a standalone Mat (see standalone_rows): the result is then bit-identical to the same rows of
// filter_image(). Each filter also filters the context rows the later filters read, so the rows
// it produces shrink by its radius, filter by filter, except at the image's edges.
void filter_strip(const FilterChain& chain, const cv::Mat& context, const Strip& strip,
                  int image_rows, cv::Mat& out);

// One filter: image rows [first, last) into `out`, from `window`, which holds the image's rows
// [top, top + window.rows) and at least the filter's radius beyond [first, last) where the image
// has them. `window` must be standalone.
void filter_rows(const FilterSpec& spec, const cv::Mat& window, int top, int image_rows, int first,
                 int last, cv::Mat& out);

// A header over rows [begin, end) of `image` that OpenCV treats as a whole image. OpenCV filters
// a sub-matrix through a path that reads outside it and is not bit-exact; this header is not one.
cv::Mat standalone_rows(const cv::Mat& image, int begin, int end);

}  // namespace pblur
