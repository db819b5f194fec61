#pragma once

#include <chrono>
#include <cstdint>

#include <opencv2/core.hpp>

#include "core/backends/backend_choice.h"

namespace pblur {

// Wall time of each phase of one filter run; zero for a phase the backend does not have.
struct PhaseTimes {
  std::chrono::nanoseconds start_workers{0};
  std::chrono::nanoseconds send{0};
  std::chrono::nanoseconds filter{0};
  std::chrono::nanoseconds collect{0};
};

struct FilterResult {
  cv::Mat image;
  PhaseTimes times;
  std::uint64_t queue_bytes = 0;  // bytes that crossed the queues, both ways
  int workers_replaced = 0;
  long workers_peak_rss_kb = 0;  // processes: the largest peak resident set a worker reported
};

// Runs OpenCV single-threaded for its lifetime, so that the parallelism is pblur's alone.
class SingleThreadedOpenCv {
 public:
  SingleThreadedOpenCv() : previous_(cv::getNumThreads()) { cv::setNumThreads(1); }
  ~SingleThreadedOpenCv() { cv::setNumThreads(previous_); }
  SingleThreadedOpenCv(const SingleThreadedOpenCv&) = delete;
  SingleThreadedOpenCv& operator=(const SingleThreadedOpenCv&) = delete;

 private:
  int previous_;
};

}  // namespace pblur
