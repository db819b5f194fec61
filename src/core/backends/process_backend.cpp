#include "core/backends/process_backend.h"

#include <cstring>
#include <string>
#include <vector>

#include "core/backends/process_stream.h"
#include "core/backends/strip_task.h"
#include "core/base/errors.h"
#include "core/filters/filters.h"
#include "core/filters/strip_plan.h"
#include "core/os/peak_memory.h"

namespace pblur {
namespace {

using Clock = std::chrono::steady_clock;

void single_threaded_worker() {
  cv::setNumThreads(1);
}

void note_peak(FilterResult& result, std::span<const std::byte> report_bytes) {
  result.workers_peak_rss_kb = std::max(result.workers_peak_rss_kb,
                                        static_cast<long>(strip_report(report_bytes).peak_rss_kb));
}

StripPlan plan_for(const cv::Mat& image, const FilterChain& spec, int strips, int workers) {
  return StripPlan(image.rows, strips > 0 ? strips : workers, filter_radius(spec, image.depth()));
}

// The pool's run, as phases: the filter phase is the run less sending and collecting.
void record_run(const PoolRunStats& stats, std::chrono::nanoseconds run_time,
                FilterResult& result) {
  result.times.send = stats.sending;
  result.times.collect = stats.collecting;
  result.times.filter = run_time - stats.sending - stats.collecting;
  result.queue_bytes = stats.bytes_sent + stats.bytes_received;
  result.workers_replaced = stats.workers_replaced;
}

}  // namespace

ProcessBackend::ProcessBackend(ProcessRuntime& runtime, const BackendChoice& choice,
                               std::stop_token stop)
    : runtime_(runtime), choice_(choice), stop_(std::move(stop)) {
  if (choice_.workers < 1) {
    throw UsageError("the worker process count must be at least 1, got " +
                     std::to_string(choice_.workers));
  }
}

ProcessBackend::~ProcessBackend() = default;

cv::MatAllocator* ProcessBackend::image_allocator() const {
  return choice_.transport == Transport::shared ? runtime_.arena.decoder_allocator() : nullptr;
}

void ProcessBackend::ensure_pool(std::size_t task_bytes, std::size_t result_bytes,
                                 PhaseTimes& times) {
  if (pool_ && pool_->max_task_bytes() >= task_bytes && pool_->max_result_bytes() >= result_bytes) {
    return;
  }
  const auto start = Clock::now();
  pool_.reset();
  PoolOptions pool_options;
  pool_options.workers = choice_.workers;
  // Room for two messages of each kind: one being written while the other is read.
  pool_options.task_queue_bytes = 2 * task_bytes + 4096;
  pool_options.result_queue_bytes = 2 * result_bytes + 4096;
  pool_options.task_timeout = choice_.strip_timeout;
  pool_options.worker_init = single_threaded_worker;
  pool_options.stop = stop_;
  pool_ = std::make_unique<ProcessPool>(runtime_.arena, runtime_.server, filter_strip_task,
                                        pool_options);
  times.start_workers = Clock::now() - start;
}

StreamStats ProcessBackend::stream(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                                   const StreamOptions& options) {
  PhaseTimes times;
  const StreamedMessageBytes bytes = streamed_message_bytes(
      reader.layout(), spec, choice_.transport, choice_.workers, options.strips);
  ensure_pool(bytes.task, bytes.result, times);
  StreamOptions with_stop = options;
  if (!with_stop.stop.stop_possible()) with_stop.stop = stop_;
  return stream_with_processes(*pool_, runtime_.arena.mat_allocator(), choice_.transport, reader,
                               writer, spec, with_stop);
}

FilterResult ProcessBackend::filter(const cv::Mat& image, const FilterChain& spec) {
  validate(spec, image.depth());
  if (choice_.transport == Transport::shared) return filter_shared(image, spec);
  return filter_copied(image, spec);
}

FilterResult ProcessBackend::filter_shared(const cv::Mat& image, const FilterChain& spec) {
  FilterResult result;
  ensure_pool(sizeof(StripTask), sizeof(StripReport) + 64, result.times);
  const auto send_start = Clock::now();
  cv::Mat source = image;
  if (!runtime_.arena.contains(image.data) || !image.isContinuous()) {
    source = cv::Mat();
    runtime_.arena.place(source, image.size(), image.type());
    image.copyTo(source);
  }
  runtime_.arena.place(result.image, image.size(), image.type());
  const StripPlan plan = plan_for(image, spec, choice_.strips, choice_.workers);
  std::vector<StripTask> tasks;
  for (const Strip& strip : plan) {
    tasks.push_back(
        shared_strip_task(standalone_rows(source, strip.context_begin, strip.context_end),
                          result.image.rowRange(strip.begin, strip.end), strip, image.rows, spec));
  }
  const auto copy_in = Clock::now() - send_start;

  std::string failure;
  const auto run_start = Clock::now();
  const PoolRunStats stats = pool_->run(
      tasks.size(),
      [&](std::size_t i) {
        return TaskBytes{std::as_bytes(std::span(&tasks[i], 1)), {}};
      },
      [&](const TaskOutcome& outcome) {
        if (!outcome.ok && failure.empty()) {
          failure = describe_strip_failure(plan[outcome.index], plan.size(), outcome.error);
        }
        if (outcome.ok) note_peak(result, outcome.result);
      });
  const auto run_time = Clock::now() - run_start;
  if (!failure.empty()) throw ProcessingError(failure);
  record_run(stats, run_time, result);
  result.times.send += copy_in;
  return result;
}

FilterResult ProcessBackend::filter_copied(const cv::Mat& image, const FilterChain& spec) {
  FilterResult result;
  const cv::Mat source = image.isContinuous() ? image : image.clone();
  const StripPlan plan = plan_for(source, spec, choice_.strips, choice_.workers);
  const std::size_t row_bytes = source.step[0];
  std::size_t largest_context = 0, largest_strip = 0;
  for (const Strip& strip : plan) {
    largest_context = std::max(largest_context, std::size_t(strip.context_rows()) * row_bytes);
    largest_strip = std::max(largest_strip, std::size_t(strip.rows()) * row_bytes);
  }
  ensure_pool(sizeof(StripTask) + largest_context, sizeof(StripReport) + largest_strip,
              result.times);
  std::vector<StripTask> tasks;
  for (const Strip& strip : plan) {
    tasks.push_back(copied_strip_task(
        standalone_rows(source, strip.context_begin, strip.context_end), strip, source.rows, spec));
  }
  result.image.create(source.size(), source.type());

  std::string failure;
  const auto run_start = Clock::now();
  const PoolRunStats stats = pool_->run(
      tasks.size(),
      [&](std::size_t i) {
        const Strip& strip = plan[i];
        const std::span<const std::byte> pixels(
            reinterpret_cast<const std::byte*>(source.ptr(strip.context_begin)),
            std::size_t(strip.context_rows()) * row_bytes);
        return TaskBytes{std::as_bytes(std::span(&tasks[i], 1)), pixels};
      },
      [&](const TaskOutcome& outcome) {
        const Strip& strip = plan[outcome.index];
        if (!outcome.ok) {
          if (failure.empty()) failure = describe_strip_failure(strip, plan.size(), outcome.error);
          return;
        }
        note_peak(result, outcome.result);
        const auto pixels = strip_rows(outcome.result);
        std::memcpy(result.image.ptr(strip.begin), pixels.data(),
                    std::min(pixels.size(), std::size_t(strip.rows()) * row_bytes));
      });
  const auto run_time = Clock::now() - run_start;
  if (!failure.empty()) throw ProcessingError(failure);
  record_run(stats, run_time, result);
  return result;
}

}  // namespace pblur
