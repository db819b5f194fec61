#pragma once

#include <opencv2/core.hpp>

#include "core/backends/backend.h"
#include "core/filters/filter_spec.h"

namespace pblur {

// The reference: one thread, one call on the whole image.
FilterResult filter_sequential(const cv::Mat& image, const FilterChain& spec);

}  // namespace pblur
