#include "core/bench/bench_context.h"

#include <oneapi/tbb/version.h>
#include <opencv2/core/version.hpp>

#include <algorithm>
#include <cstdio>

#include "core/bench/bench_stats.h"

namespace pblur {
namespace {

BenchImage describe_image(const cv::Mat& image) {
  return {image.cols, image.rows, image.channels(), image.depth() == CV_16U ? 16 : 8};
}

}  // namespace

std::string busy_machine_note(const MachineInfo& machine, const std::vector<int>& worker_counts) {
  const int cpus = std::max(1, machine.usable_cpus);
  int wanted = 1;
  for (const int workers : worker_counts) wanted = std::max(wanted, std::min(workers, cpus));
  const double load = machine.load_average[0];
  if (load <= double(cpus - wanted) + 0.5) return "";
  char text[160];
  std::snprintf(text, sizeof text,
                "load average %.2f on %d usable CPUs: other programs keep cores busy, so the "
                "timings are slower and noisier than on an idle machine",
                load, cpus);
  return text;
}

BenchContext make_bench_context(BenchSubject subject, const cv::Mat& image, const FilterChain& spec,
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
  context.load_note = busy_machine_note(context.machine, context.worker_counts);
  return context;
}

}  // namespace pblur
