#include "core/backends/sequential_backend.h"

#include "core/filters/filters.h"

namespace pblur {

using Clock = std::chrono::steady_clock;

FilterResult filter_sequential(const cv::Mat& image, const FilterChain& spec) {
  validate(spec, image.depth());
  SingleThreadedOpenCv single_threaded;
  FilterResult result;
  const auto start = Clock::now();
  result.image = filter_image(image, spec);
  result.times.filter = Clock::now() - start;
  return result;
}

}  // namespace pblur
