#include "core/backends/threaded_stream.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <exception>
#include <mutex>

#include "core/backends/backend.h"
#include "core/backends/stream_ends.h"
#include "core/backends/thread_backend.h"
#include "core/base/errors.h"
#include "core/filters/filters.h"
#include "core/image/whole_image.h"

namespace pblur {
namespace {

// A threaded stream: the ends decode and encode on a thread of their own while `threads` lanes in
// an arena of that size filter the decoded strips, each taking the next strip not yet taken.
class ThreadedStream {
 public:
  ThreadedStream(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                 const StreamPlan& plan, const StreamOptions& options)
      : spec_(spec),
        plan_(plan),
        slots_(plan, reader.layout(), nullptr),
        handoff_(plan.strips.size()),
        ends_(reader, writer, plan, slots_, handoff_, clocks_, options),
        image_rows_(reader.layout().height) {}

  void run(int threads) {
    ends_.run_with([&] { filter_on(threads); });
  }

  StreamStats stats() const { return clocks_.stats(plan_, slots_.bytes()); }

 private:
  void filter_on(int threads) {
    tbb::task_arena arena(arena_concurrency(threads));
    arena.execute([&] {
      tbb::parallel_for(
          0, threads, [this](int) { guarded_filter_lane(); }, tbb::simple_partitioner());
    });
    if (lane_error_) std::rethrow_exception(lane_error_);
  }

  void guarded_filter_lane() {
    try {
      filter_lane();
    } catch (...) {
      std::lock_guard lock(lane_error_mutex_);
      if (!lane_error_) lane_error_ = std::current_exception();
      handoff_.abandon();
    }
  }

  void filter_lane() {
    for (std::size_t index = next_++; index < plan_.strips.size(); index = next_++) {
      if (!handoff_.wait_decoded(index)) return;
      const Strip& strip = plan_.strips[index];
      clocks_.filtering.time([&] {
        cv::Mat out = slots_.output(strip);
        filter_strip(spec_, slots_.context(strip), strip, image_rows_, out);
      });
      handoff_.filtered(index, {});
    }
  }

  const FilterChain& spec_;
  const StreamPlan& plan_;
  StripSlots slots_;
  StripHandoff handoff_;
  StageClocks clocks_;
  StreamEnds ends_;
  int image_rows_;
  std::atomic<std::size_t> next_{0};
  std::mutex lane_error_mutex_;
  std::exception_ptr lane_error_;
};

}  // namespace

StreamStats stream_with_threads(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                                int threads, const StreamOptions& options) {
  if (threads < 1) throw UsageError("a threaded stream needs at least one thread");
  const RowLayout& layout = reader.layout();
  const int depth = layout.bits == 16 ? CV_16U : CV_8U;
  validate(spec, depth);
  const StreamPlan plan =
      StreamPlan::make(layout.height, filter_radius(spec, depth), threads, options.strips);
  const auto start = std::chrono::steady_clock::now();
  SingleThreadedOpenCv single_threaded;
  ThreadedStream stream(reader, writer, spec, plan, options);
  stream.run(threads);
  StreamStats stats = stream.stats();
  stats.wall = std::chrono::steady_clock::now() - start;
  return stats;
}

StreamStats stream_whole(RowReader& reader, RowWriter& writer, const FilterChain& spec) {
  const auto start = std::chrono::steady_clock::now();
  StreamStats stats;
  StageClock decoding, filtering, encoding;
  const cv::Mat image = decoding.time([&] { return read_whole_image(reader); });
  const cv::Mat filtered = filtering.time([&] { return filter_image(image, spec); });
  encoding.time([&] { write_whole_image(writer, filtered); });
  stats.decode = decoding.busy();
  stats.filter = filtering.busy();
  stats.encode = encoding.busy();
  stats.strips = 1;
  stats.in_flight = 1;
  stats.window_bytes = 2 * image.total() * image.elemSize();
  stats.wall = std::chrono::steady_clock::now() - start;
  return stats;
}

}  // namespace pblur
