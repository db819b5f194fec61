#include "core/backends/threaded_stream.h"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "core/backends/backend.h"
#include "core/backends/row_feeder.h"
#include "core/backends/stage_clock.h"
#include "core/backends/stream_plan.h"
#include "core/backends/strip_slots.h"
#include "core/backends/thread_backend.h"
#include "core/base/errors.h"
#include "core/filters/filters.h"
#include "core/image/whole_image.h"

namespace pblur {
namespace {

// The three stages of a threaded stream and what they share.
class ThreadedStream {
 public:
  ThreadedStream(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                 const StreamPlan& plan, const StreamOptions& options)
      : writer_(writer),
        spec_(spec),
        plan_(plan),
        options_(options),
        slots_(plan, reader.layout(), nullptr),
        feeder_(reader, plan.radius),
        image_rows_(reader.layout().height) {}

  void run(int threads) {
    using tbb::filter_mode;
    tbb::task_arena arena(arena_concurrency(threads));
    arena.execute([&] {
      tbb::parallel_pipeline(
          std::size_t(plan_.in_flight),
          tbb::make_filter<void, std::size_t>(
              filter_mode::serial_in_order,
              [this](tbb::flow_control& control) { return decode(control); }) &
              tbb::make_filter<std::size_t, std::size_t>(
                  filter_mode::parallel, [this](std::size_t index) { return filter(index); }) &
              tbb::make_filter<std::size_t, void>(filter_mode::serial_in_order,
                                                  [this](std::size_t index) { encode(index); }));
    });
    clocks_.encoding.time([&] { writer_.finish(); });
  }

  StreamStats stats() const { return clocks_.stats(plan_, slots_.bytes()); }

 private:
  std::size_t decode(tbb::flow_control& control) {
    if (next_ == plan_.strips.size()) {
      control.stop();
      return 0;
    }
    if (options_.stop.stop_requested()) throw Interrupted("stopped while streaming");
    const Strip& strip = plan_.strips[next_++];
    clocks_.decoding.time([&] {
      const cv::Mat context = slots_.context(strip);
      feeder_.feed(strip, reinterpret_cast<std::byte*>(context.data), context.step[0]);
    });
    return std::size_t(strip.index);
  }

  std::size_t filter(std::size_t index) {
    const Strip& strip = plan_.strips[index];
    clocks_.filtering.time([&] {
      cv::Mat out = slots_.output(strip);
      filter_strip(spec_, slots_.context(strip), strip, image_rows_, out);
    });
    return index;
  }

  void encode(std::size_t index) {
    const Strip& strip = plan_.strips[index];
    if (options_.stop.stop_requested()) throw Interrupted("stopped while streaming");
    clocks_.encoding.time([&] {
      const cv::Mat out = slots_.output(strip);
      writer_.write_rows(reinterpret_cast<const std::byte*>(out.data), out.step[0], out.rows);
    });
    if (options_.on_rows) options_.on_rows(strip.end);
  }

  RowWriter& writer_;
  const FilterChain& spec_;
  const StreamPlan& plan_;
  const StreamOptions& options_;
  StripSlots slots_;
  RowFeeder feeder_;
  int image_rows_;
  std::size_t next_ = 0;
  StageClocks clocks_;
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
