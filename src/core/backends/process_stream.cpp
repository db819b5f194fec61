#include "core/backends/process_stream.h"

#include <cstring>
#include <vector>

#include "core/backends/stream_ends.h"
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
// results while the stream's ends decode and encode on two more threads.
class ProcessStream {
 public:
  ProcessStream(ProcessPool& pool, cv::MatAllocator* shared_allocator, Transport transport,
                RowReader& reader, RowWriter& writer, const FilterChain& spec,
                const StreamOptions& options)
      : pool_(pool),
        transport_(transport),
        spec_(spec),
        image_rows_(reader.layout().height),
        plan_(plan_for(reader.layout(), spec, pool.workers(), options.strips)),
        slots_(plan_, reader.layout(), transport == Transport::shared ? shared_allocator : nullptr),
        handoff_(plan_.strips.size()),
        ends_(reader, writer, plan_, slots_, handoff_, clocks_, options),
        tasks_(plan_.strips.size()) {}

  StreamStats run() {
    PoolRunStats pool_stats;
    ends_.run_with(
        [&] {
          pool_stats = pool_.run(
              plan_.strips.size(), [this](std::size_t i) { return task(i); },
              [this](const TaskOutcome& outcome) { take(outcome); }, handoff_.abandoned());
        },
        [this](const Strip& strip) { make_task(strip); });
    return stats(pool_stats);
  }

 private:
  // On the decoding thread.
  void make_task(const Strip& strip) {
    const cv::Mat context = slots_.context(strip);
    tasks_[std::size_t(strip.index)] =
        transport_ == Transport::shared
            ? shared_strip_task(context, slots_.output(strip), strip, image_rows_, spec_)
            : copied_strip_task(context, strip, image_rows_, spec_);
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
  const FilterChain& spec_;
  int image_rows_;
  StreamPlan plan_;
  StripSlots slots_;
  StripHandoff handoff_;
  StageClocks clocks_;
  StreamEnds ends_;
  std::vector<StripTask> tasks_;
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
