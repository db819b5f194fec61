#include "core/bench/bench_context.h"

#include <cstdio>

#include <oneapi/tbb/version.h>
#include <opencv2/core/version.hpp>

#include "core/bench/bench_stats.h"

namespace pblur {
namespace {

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string describe_filter(const FilterSpec& spec, int depth) {
  std::string text(filter_kind_name(spec.kind));
  if (spec.kind == FilterKind::pil_blur) return text;
  if (spec.kind == FilterKind::gaussian) text += " sigma=" + format_number(spec.sigma);
  text += " ksize=" + std::to_string(effective_kernel_size(spec, depth));
  if (spec.kind != FilterKind::median)
    text += " border=" + std::string(border_mode_name(spec.border));
  return text;
}

BenchImage describe_image(const cv::Mat& image) {
  return {image.cols, image.rows, image.channels(), image.depth() == CV_16U ? 16 : 8};
}

}  // namespace

BenchContext make_bench_context(BenchSubject subject, const cv::Mat& image, const FilterSpec& spec,
                                const std::vector<int>& worker_counts, int repeat, int warmup) {
  BenchContext context;
  context.subject = subject;
  context.machine = describe_machine();
  context.pblur_version = PBLUR_VERSION;
  context.opencv_version = CV_VERSION;
  context.onetbb_version = TBB_VERSION_STRING;
#ifdef NDEBUG
  context.assertions = false;
#else
  context.assertions = true;
#endif
  context.image = describe_image(image);
  context.input = {1, image.total() * image.elemSize()};
  context.spec = spec;
  context.filter = describe_filter(spec, image.depth());
  context.worker_counts = checked_worker_counts(worker_counts);
  context.repeat = repeat;
  context.repeat_automatic = repeat == 0;
  context.warmup = warmup;
  return context;
}

}  // namespace pblur
