#include "core/backends/process_stream.h"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <exception>
#include <thread>
#include <vector>

#include "core/backends/row_feeder.h"
#include "core/backends/stage_clock.h"
#include "core/backends/stream_plan.h"
#include "core/backends/strip_handoff.h"
#include "core/backends/strip_slots.h"
#include "core/backends/strip_task.h"
#include "core/base/errors.h"

namespace pblur {
namespace {

int depth_of(const RowLayout& layout) {
  return layout.bits == 16 ? CV_16U : CV_8U;
}

StreamPlan plan_for(const RowLayout& layout, const FilterChain& spec, int workers, int strips) {
  return StreamPlan::make(layout.height, filter_radius(spec, depth_of(layout)), workers, strips);
}

// This process's side of a streamed run: the pool's thread sends decoded strips and takes their
// results, a pipeline of two serial stages on two more threads decodes and encodes.
class ProcessStream {
 public:
  ProcessStream(ProcessPool& pool, cv::MatAllocator* shared_allocator, Transport transport,
                RowReader& reader, RowWriter& writer, const FilterChain& spec,
                const StreamOptions& options)
      : pool_(pool),
        transport_(transport),
        writer_(writer),
        spec_(spec),
        options_(options),
        image_rows_(reader.layout().height),
        plan_(plan_for(reader.layout(), spec, pool.workers(), options.strips)),
        slots_(plan_, reader.layout(), transport == Transport::shared ? shared_allocator : nullptr),
        feeder_(reader, plan_.radius),
        handoff_(plan_.strips.size()),
        tasks_(plan_.strips.size()) {}

  StreamStats run() {
    std::exception_ptr pipeline_error;
    std::thread pipeline([&] {
      try {
        decode_and_encode();
      } catch (...) {
        pipeline_error = std::current_exception();
        handoff_.abandon();
      }
    });
    PoolRunStats pool_stats;
    try {
      pool_stats = pool_.run(
          plan_.strips.size(), [this](std::size_t i) { return task(i); },
          [this](const TaskOutcome& outcome) { take(outcome); }, handoff_.abandoned());
    } catch (...) {
      handoff_.abandon();
      pipeline.join();
      if (pipeline_error) std::rethrow_exception(pipeline_error);
      throw;
    }
    pipeline.join();
    if (pipeline_error) std::rethrow_exception(pipeline_error);
    return stats(pool_stats);
  }

 private:
  void decode_and_encode() {
    using tbb::filter_mode;
    tbb::task_arena arena(2);
    arena.execute([&] {
      tbb::parallel_pipeline(
          std::size_t(plan_.in_flight),
          tbb::make_filter<void, std::size_t>(
              filter_mode::serial_in_order,
              [this](tbb::flow_control& control) { return decode(control); }) &
              tbb::make_filter<std::size_t, void>(filter_mode::serial_in_order,
                                                  [this](std::size_t index) { encode(index); }));
    });
    clocks_.encoding.time([&] { writer_.finish(); });
  }

  std::size_t decode(tbb::flow_control& control) {
    if (next_ == plan_.strips.size()) {
      control.stop();
      return 0;
    }
    if (handoff_.abandoned().stop_requested() || options_.stop.stop_requested()) {
      throw Interrupted("stopped while streaming");
    }
    const Strip& strip = plan_.strips[next_++];
    clocks_.decoding.time([&] {
      const cv::Mat context = slots_.context(strip);
      feeder_.feed(strip, reinterpret_cast<std::byte*>(context.data), context.step[0]);
      tasks_[std::size_t(strip.index)] =
          transport_ == Transport::shared
              ? shared_strip_task(context, slots_.output(strip), strip, image_rows_, spec_)
              : copied_strip_task(context, strip, image_rows_, spec_);
    });
    handoff_.decoded(std::size_t(strip.index));
    return std::size_t(strip.index);
  }

  void encode(std::size_t index) {
    const Strip& strip = plan_.strips[index];
    handoff_.wait_filtered(index);
    if (options_.stop.stop_requested()) throw Interrupted("stopped while streaming");
    clocks_.encoding.time([&] {
      const cv::Mat out = slots_.output(strip);
      writer_.write_rows(reinterpret_cast<const std::byte*>(out.data), out.step[0], out.rows);
    });
    if (options_.on_rows) options_.on_rows(strip.end);
  }

  // On the pool's thread.
  TaskBytes task(std::size_t index) const {
    if (!handoff_.is_decoded(index)) return TaskBytes{{}, {}, false};
    const StripTask& task = tasks_[index];
    const auto head = std::as_bytes(std::span(&task, 1));
    if (transport_ == Transport::shared) return TaskBytes{head, {}};
    const cv::Mat context = slots_.context(plan_.strips[index]);
    return TaskBytes{head,
                     std::as_bytes(std::span(context.data, context.total() * context.elemSize()))};
  }

  // On the pool's thread.
  void take(const TaskOutcome& outcome) {
    const Strip& strip = plan_.strips[outcome.index];
    if (!outcome.ok) {
      handoff_.filtered(outcome.index,
                        describe_strip_failure(strip, plan_.strips.size(), outcome.error));
      return;
    }
    const StripReport report = strip_report(outcome.result);
    clocks_.filtering.add(std::chrono::nanoseconds(report.filter_ns));
    workers_peak_rss_kb_ = std::max(workers_peak_rss_kb_, long(report.peak_rss_kb));
    if (transport_ == Transport::copy) {
      const auto rows = strip_rows(outcome.result);
      const cv::Mat out = slots_.output(strip);
      std::memcpy(out.data, rows.data(), std::min(rows.size(), out.total() * out.elemSize()));
    }
    handoff_.filtered(outcome.index, {});
  }

  StreamStats stats(const PoolRunStats& pool_stats) const {
    StreamStats stats = clocks_.stats(plan_, slots_.bytes());
    stats.queue_bytes = pool_stats.bytes_sent + pool_stats.bytes_received;
    stats.workers_replaced = pool_stats.workers_replaced;
    stats.workers_peak_rss_kb = workers_peak_rss_kb_;
    return stats;
  }

  ProcessPool& pool_;
  Transport transport_;
  RowWriter& writer_;
  const FilterChain& spec_;
  const StreamOptions& options_;
  int image_rows_;
  StreamPlan plan_;
  StripSlots slots_;
  RowFeeder feeder_;
  StripHandoff handoff_;
  std::vector<StripTask> tasks_;
  std::size_t next_ = 0;
  StageClocks clocks_;
  long workers_peak_rss_kb_ = 0;
};

}  // namespace

StreamStats stream_with_processes(ProcessPool& pool, cv::MatAllocator* shared_allocator,
                                  Transport transport, RowReader& reader, RowWriter& writer,
                                  const FilterChain& spec, const StreamOptions& options) {
  validate(spec, depth_of(reader.layout()));
  const auto start = std::chrono::steady_clock::now();
  ProcessStream stream(pool, shared_allocator, transport, reader, writer, spec, options);
  StreamStats stats = stream.run();
  stats.wall = std::chrono::steady_clock::now() - start;
  return stats;
}

StreamedMessageBytes streamed_message_bytes(const RowLayout& layout, const FilterChain& spec,
                                            Transport transport, int workers, int strips) {
  StreamedMessageBytes bytes{sizeof(StripTask), sizeof(StripReport) + 64};
  if (transport == Transport::copy) {
    const StreamPlan plan = plan_for(layout, spec, workers, strips);
    bytes.task += std::size_t(plan.context_rows()) * layout.row_bytes();
    bytes.result += std::size_t(plan.strip_rows) * layout.row_bytes();
  }
  return bytes;
}

}  // namespace pblur
