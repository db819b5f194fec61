// filter_speed: one filter alone on one core, against cv::filter2D of the same kernel size.
//
// Usage: filter_speed IMAGE [--repeat N] FILTER...
//
// FILTER is written as pblur's --filter takes it. For each, prints one tab-separated line:
//   FILTER  KSIZE  PBLUR_MS  FILTER2D_MS
// PBLUR_MS is the median wall time of the filter on the whole image (filter_rows, as the
// sequential backend runs it); FILTER2D_MS that of cv::filter2D with a KSIZE x KSIZE float kernel,
// KSIZE being the filter's reach on both sides plus one. OpenCV runs on one thread. Each writes
// into its own output, allocated by its first run, so that neither pays page faults that the
// other does not.
// Exit status: 0 success, 2 bad arguments or unreadable image.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/filters/filter_spec.h"
#include "core/filters/filter_syntax.h"
#include "core/filters/filters.h"

namespace {

double median_ms(int repeat, const std::function<void()>& run) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    const std::chrono::duration<double, std::milli> spent =
        std::chrono::steady_clock::now() - start;
    times.push_back(spent.count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

void measure(const cv::Mat& image, const std::string& text, int repeat) {
  const pblur::FilterSpec spec = pblur::parse_filter(text);
  pblur::validate(spec, image.depth());
  const int ksize = 2 * pblur::filter_radius(spec, image.depth()) + 1;
  cv::Mat out;
  const double pblur_ms = median_ms(
      repeat, [&] { pblur::filter_rows(spec, image, 0, image.rows, 0, image.rows, out); });
  const cv::Mat kernel(ksize, ksize, CV_32F, cv::Scalar(1.0 / (ksize * ksize)));
  cv::Mat opencv_out;
  const double filter2d_ms = median_ms(repeat, [&] {
    cv::filter2D(image, opencv_out, -1, kernel, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
  });
  std::printf("%s\t%d\t%.1f\t%.1f\n", text.c_str(), ksize, pblur_ms, filter2d_ms);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int repeat = 5;
  if (args.size() >= 3 && args[1] == "--repeat") {
    repeat = std::max(1, std::atoi(args[2].c_str()));
    args.erase(args.begin() + 1, args.begin() + 3);
  }
  if (args.size() < 2) {
    std::fputs("usage: filter_speed IMAGE [--repeat N] FILTER...\n", stderr);
    return 2;
  }
  const cv::Mat image = cv::imread(args[0], cv::IMREAD_UNCHANGED);
  if (image.empty()) {
    std::fprintf(stderr, "filter_speed: error: cannot read image '%s'\n", args[0].c_str());
    return 2;
  }
  cv::setNumThreads(1);
  try {
    for (std::size_t i = 1; i < args.size(); ++i) measure(image, args[i], repeat);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "filter_speed: error: %s\n", error.what());
    return 2;
  }
  return 0;
}
