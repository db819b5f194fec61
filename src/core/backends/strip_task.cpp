#include "core/backends/strip_task.h"

#include <sys/mman.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "core/base/message_header.h"
#include "core/filters/filters.h"
#include "core/os/peak_memory.h"

namespace pblur {
namespace {

using Clock = std::chrono::steady_clock;

template <typename T>
std::span<const std::byte> bytes_of(const T& value) {
  return std::as_bytes(std::span(&value, 1));
}

// Maps the shared pages under `rows` into this process in one call rather than one page fault
// at a time; a hint, so a kernel without it (before Linux 5.14) changes nothing.
void map_in_advance(const cv::Mat& rows, int advice) {
  const auto page = reinterpret_cast<std::uintptr_t>(rows.data) & ~std::uintptr_t{4095};
  const std::size_t length =
      reinterpret_cast<std::uintptr_t>(rows.data) - page + std::size_t(rows.rows) * rows.step[0];
  madvise(reinterpret_cast<void*>(page), length, advice);
}

StripTask task_for(const cv::Mat& context, const Strip& strip, int image_rows,
                   const FilterChain& spec) {
  StripTask task;
  task.step = context.step[0];
  task.image_rows = image_rows;
  task.cols = context.cols;
  task.type = context.type();
  task.strip = strip;
  task.spec = spec;
  return task;
}

void filter_shared(const StripTask& task, const ResultSender& send, Clock::time_point start) {
  const Strip& strip = task.strip;
  const cv::Mat context(strip.context_rows(), task.cols, task.type,
                        reinterpret_cast<void*>(task.context), task.step);
  cv::Mat out(strip.rows(), task.cols, task.type, reinterpret_cast<void*>(task.output), task.step);
  map_in_advance(context, MADV_POPULATE_READ);
  map_in_advance(out, MADV_POPULATE_WRITE);
  filter_strip(task.spec, context, strip, task.image_rows, out);
  const StripReport report{(Clock::now() - start).count(), peak_rss_kb()};
  send(bytes_of(report), {});
}

void filter_copied(const StripTask& task, std::span<const std::byte> pixels,
                   const ResultSender& send, Clock::time_point start) {
  const Strip& strip = task.strip;
  const cv::Mat context(strip.context_rows(), task.cols, task.type,
                        const_cast<std::byte*>(pixels.data()));
  thread_local cv::Mat out;  // kept between strips: its pages are already mapped
  out.create(strip.rows(), task.cols, task.type);
  filter_strip(task.spec, context, strip, task.image_rows, out);
  const StripReport report{(Clock::now() - start).count(), peak_rss_kb()};
  send(bytes_of(report), std::as_bytes(std::span(out.data, out.total() * out.elemSize())));
}

}  // namespace

StripTask shared_strip_task(const cv::Mat& context, const cv::Mat& output, const Strip& strip,
                            int image_rows, const FilterChain& spec) {
  StripTask task = task_for(context, strip, image_rows, spec);
  task.context = reinterpret_cast<std::uint64_t>(context.data);
  task.output = reinterpret_cast<std::uint64_t>(output.data);
  return task;
}

StripTask copied_strip_task(const cv::Mat& context, const Strip& strip, int image_rows,
                            const FilterChain& spec) {
  return task_for(context, strip, image_rows, spec);
}

void filter_strip_task(std::span<const std::byte> message, const ResultSender& send) {
  const auto task = read_header<StripTask>(message, "strip");
  const auto start = Clock::now();
  if (task.context != 0) {
    filter_shared(task, send, start);
  } else {
    filter_copied(task, message.subspan(sizeof(StripTask)), send, start);
  }
}

StripReport strip_report(std::span<const std::byte> result) {
  return read_header<StripReport>(result, "strip");
}

std::span<const std::byte> strip_rows(std::span<const std::byte> result) {
  return result.subspan(sizeof(StripReport));
}

std::string describe_strip_failure(const Strip& strip, std::size_t strips,
                                   const std::string& error) {
  return "strip " + std::to_string(strip.index + 1) + " of " + std::to_string(strips) + " (rows " +
         std::to_string(strip.begin) + "-" + std::to_string(strip.end - 1) + ") failed: " + error;
}

}  // namespace pblur
