#include "core/process_backend.h"

#include <sys/mman.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/filters.h"
#include "core/peak_memory.h"
#include "core/strip_plan.h"

namespace pblur {
namespace {

using Clock = std::chrono::steady_clock;

// One strip's work order. With the shared transport the image and the output are addresses in
// the shared arena (the same in every process); with the copy transport `source` is 0 and the
// strip's context rows follow this header in the message.
struct StripTask {
  std::uint64_t source;
  std::uint64_t target;
  std::uint64_t step;
  std::int32_t rows;
  std::int32_t cols;
  std::int32_t type;
  std::int32_t unused;
  Strip strip;
  FilterChain spec;
};

struct StripReport {
  std::int64_t filter_ns;
  std::int64_t peak_rss_kb;  // the worker's, read after the strip, while its pages are mapped
};

template <typename T>
std::span<const std::byte> bytes_of(const T& value) {
  return std::as_bytes(std::span(&value, 1));
}

template <typename T>
T read_header(std::span<const std::byte> bytes) {
  if (bytes.size() < sizeof(T)) throw std::runtime_error("malformed strip message");
  T value;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

// Maps the shared pages under `rows` into this process in one call rather than one page fault
// at a time; a hint, so a kernel without it (before Linux 5.14) changes nothing.
void map_in_advance(const cv::Mat& rows, int advice) {
  const auto page = reinterpret_cast<std::uintptr_t>(rows.data) & ~std::uintptr_t{4095};
  const std::size_t length =
      reinterpret_cast<std::uintptr_t>(rows.data) - page + std::size_t(rows.rows) * rows.step[0];
  madvise(reinterpret_cast<void*>(page), length, advice);
}

// Runs in a worker process.
void filter_strip_task(std::span<const std::byte> message, const ResultSender& send) {
  const auto task = read_header<StripTask>(message);
  const auto start = Clock::now();
  const Strip& strip = task.strip;
  if (task.source != 0) {
    const cv::Mat image(task.rows, task.cols, task.type, reinterpret_cast<void*>(task.source),
                        task.step);
    cv::Mat out(strip.rows(), task.cols, task.type,
                reinterpret_cast<uchar*>(task.target) + std::size_t(strip.begin) * task.step,
                task.step);
    const cv::Mat context = standalone_rows(image, strip.context_begin, strip.context_end);
    map_in_advance(context, MADV_POPULATE_READ);
    map_in_advance(out, MADV_POPULATE_WRITE);
    filter_strip(task.spec, context, strip, task.rows, out);
    const StripReport report{(Clock::now() - start).count(), peak_rss_kb()};
    send(bytes_of(report), {});
    return;
  }
  const auto pixels = message.subspan(sizeof(StripTask));
  const cv::Mat context(strip.context_rows(), task.cols, task.type,
                        const_cast<std::byte*>(pixels.data()));
  thread_local cv::Mat out;  // kept between strips: its pages are already mapped
  out.create(strip.rows(), task.cols, task.type);
  filter_strip(task.spec, context, strip, task.rows, out);
  const StripReport report{(Clock::now() - start).count(), peak_rss_kb()};
  send(bytes_of(report), std::as_bytes(std::span(out.data, out.total() * out.elemSize())));
}

void single_threaded_worker() {
  cv::setNumThreads(1);
}

StripTask describe(const cv::Mat& image, const cv::Mat* output, const Strip& strip,
                   const FilterChain& spec) {
  StripTask task{};
  task.source = output ? reinterpret_cast<std::uint64_t>(image.data) : 0;
  task.target = output ? reinterpret_cast<std::uint64_t>(output->data) : 0;
  task.step = image.step[0];
  task.rows = image.rows;
  task.cols = image.cols;
  task.type = image.type();
  task.strip = strip;
  task.spec = spec;
  return task;
}

std::vector<StripTask> describe_all(const cv::Mat& image, const cv::Mat* output,
                                    const StripPlan& plan, const FilterChain& spec) {
  std::vector<StripTask> tasks;
  for (const Strip& strip : plan) tasks.push_back(describe(image, output, strip, spec));
  return tasks;
}

std::string describe_failure(const Strip& strip, std::size_t strips, const std::string& error) {
  return "strip " + std::to_string(strip.index + 1) + " of " + std::to_string(strips) + " (rows " +
         std::to_string(strip.begin) + "-" + std::to_string(strip.end - 1) + ") failed: " + error;
}

void note_peak(FilterResult& result, std::span<const std::byte> report_bytes) {
  const auto report = read_header<StripReport>(report_bytes);
  result.workers_peak_rss_kb =
      std::max(result.workers_peak_rss_kb, static_cast<long>(report.peak_rss_kb));
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

ProcessBackend::ProcessBackend(ProcessRuntime& runtime, ProcessBackendOptions options)
    : runtime_(runtime), options_(options) {
  if (options_.workers < 1) throw UsageError("--procs must be at least 1");
}

ProcessBackend::~ProcessBackend() = default;

cv::MatAllocator* ProcessBackend::image_allocator() const {
  return options_.transport == Transport::shared ? runtime_.arena.mat_allocator() : nullptr;
}

void ProcessBackend::ensure_pool(std::size_t task_bytes, std::size_t result_bytes,
                                 PhaseTimes& times) {
  if (pool_ && pool_->max_task_bytes() >= task_bytes && pool_->max_result_bytes() >= result_bytes) {
    return;
  }
  const auto start = Clock::now();
  pool_.reset();
  PoolOptions pool_options;
  pool_options.workers = options_.workers;
  // Room for two messages of each kind: one being written while the other is read.
  pool_options.task_queue_bytes = 2 * task_bytes + 4096;
  pool_options.result_queue_bytes = 2 * result_bytes + 4096;
  pool_options.task_timeout = options_.strip_timeout;
  pool_options.worker_init = single_threaded_worker;
  pool_options.stop = options_.stop;
  pool_ = std::make_unique<ProcessPool>(runtime_.arena, runtime_.server, filter_strip_task,
                                        pool_options);
  times.start_workers = Clock::now() - start;
}

FilterResult ProcessBackend::filter(const cv::Mat& image, const FilterChain& spec) {
  validate(spec, image.depth());
  if (options_.transport == Transport::shared) return filter_shared(image, spec);
  return filter_copied(image, spec);
}

FilterResult ProcessBackend::filter_shared(const cv::Mat& image, const FilterChain& spec) {
  FilterResult result;
  ensure_pool(sizeof(StripTask), sizeof(StripReport) + 64, result.times);
  const auto send_start = Clock::now();
  cv::Mat source = image;
  if (!runtime_.arena.contains(image.data) || !image.isContinuous()) {
    source = cv::Mat();
    source.allocator = runtime_.arena.mat_allocator();
    image.copyTo(source);
  }
  result.image.allocator = runtime_.arena.mat_allocator();
  result.image.create(image.size(), image.type());
  const StripPlan plan = plan_for(image, spec, options_.strips, options_.workers);
  const auto tasks = describe_all(source, &result.image, plan, spec);
  const auto copy_in = Clock::now() - send_start;

  std::string failure;
  const auto run_start = Clock::now();
  const PoolRunStats stats = pool_->run(
      tasks.size(),
      [&](std::size_t i) {
        return TaskBytes{bytes_of(tasks[i]), {}};
      },
      [&](const TaskOutcome& outcome) {
        if (!outcome.ok && failure.empty()) {
          failure = describe_failure(plan[outcome.index], plan.size(), outcome.error);
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
  const StripPlan plan = plan_for(source, spec, options_.strips, options_.workers);
  const std::size_t row_bytes = source.step[0];
  std::size_t largest_context = 0, largest_strip = 0;
  for (const Strip& strip : plan) {
    largest_context = std::max(largest_context, std::size_t(strip.context_rows()) * row_bytes);
    largest_strip = std::max(largest_strip, std::size_t(strip.rows()) * row_bytes);
  }
  ensure_pool(sizeof(StripTask) + largest_context, sizeof(StripReport) + largest_strip,
              result.times);
  const auto tasks = describe_all(source, nullptr, plan, spec);
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
        return TaskBytes{bytes_of(tasks[i]), pixels};
      },
      [&](const TaskOutcome& outcome) {
        const Strip& strip = plan[outcome.index];
        if (!outcome.ok) {
          if (failure.empty()) failure = describe_failure(strip, plan.size(), outcome.error);
          return;
        }
        note_peak(result, outcome.result);
        const auto pixels = outcome.result.subspan(sizeof(StripReport));
        std::memcpy(result.image.ptr(strip.begin), pixels.data(),
                    std::min(pixels.size(), std::size_t(strip.rows()) * row_bytes));
      });
  const auto run_time = Clock::now() - run_start;
  if (!failure.empty()) throw ProcessingError(failure);
  record_run(stats, run_time, result);
  return result;
}

}  // namespace pblur
