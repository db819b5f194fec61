#include "core/backends/thread_backend.h"

#include <algorithm>
#include <string>

#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "core/base/errors.h"
#include "core/filters/filters.h"
#include "core/filters/strip_plan.h"

namespace pblur {

using Clock = std::chrono::steady_clock;

int arena_concurrency(int threads) {
  return std::clamp(threads, 1, tbb::info::default_concurrency());
}

FilterResult filter_with_threads(const cv::Mat& image, const FilterChain& spec, int threads,
                                 int strips) {
  if (threads < 1) {
    throw UsageError("the thread count must be at least 1, got " + std::to_string(threads));
  }
  validate(spec, image.depth());
  const StripPlan plan(image.rows, strips > 0 ? strips : threads,
                       filter_radius(spec, image.depth()));
  SingleThreadedOpenCv single_threaded;
  FilterResult result;
  result.image.create(image.size(), image.type());
  const auto start = Clock::now();
  tbb::task_arena(arena_concurrency(threads)).execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, plan.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            const Strip& strip = plan[i];
            cv::Mat out = result.image.rowRange(strip.begin, strip.end);
            filter_strip(spec, standalone_rows(image, strip.context_begin, strip.context_end),
                         strip, image.rows, out);
          }
        },
        tbb::simple_partitioner());
  });
  result.times.filter = Clock::now() - start;
  return result;
}

}  // namespace pblur
