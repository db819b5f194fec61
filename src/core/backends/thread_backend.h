#pragma once

#include <opencv2/core.hpp>

#include "core/backends/backend.h"
#include "core/filters/filter_spec.h"

namespace pblur {

// How many threads an arena for `threads` workers gets: no more than the machine runs at once.
// oneTBB starts no more worker threads than that unless a process-wide global_control allows
// it, and it warns on stderr when an arena asks for more.
int arena_concurrency(int threads);

// The thread baseline: the strips of a StripPlan (`strips`, 0 for one per thread) filtered by
// tbb::parallel_for with at most `threads` threads.
FilterResult filter_with_threads(const cv::Mat& image, const FilterChain& spec, int threads,
                                 int strips = 0);

}  // namespace pblur
