#include "core/backends/stream_ends.h"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <exception>
#include <mutex>
#include <thread>

#include "core/base/errors.h"

namespace pblur {

StreamEnds::StreamEnds(RowReader& reader, RowWriter& writer, const StreamPlan& plan,
                       const StripSlots& slots, StripHandoff& handoff, StageClocks& clocks,
                       const StreamOptions& options)
    : writer_(writer),
      plan_(plan),
      slots_(slots),
      handoff_(handoff),
      clocks_(clocks),
      options_(options),
      feeder_(reader, plan.radius),
      progress_{0, reader.layout().height, reader.layout().row_bytes()} {}

void StreamEnds::run_with(const std::function<void()>& filter_side, OnDecoded on_decoded) {
  on_decoded_ = std::move(on_decoded);
  std::mutex mutex;
  std::exception_ptr first_error;  // the others only follow from it
  const auto fail = [&] {
    {
      std::lock_guard lock(mutex);
      if (!first_error) first_error = std::current_exception();
    }
    handoff_.abandon();
  };
  std::thread ends([&] {
    try {
      decode_and_encode();
    } catch (...) {
      fail();
    }
  });
  try {
    filter_side();
  } catch (...) {
    fail();
  }
  ends.join();
  if (first_error) std::rethrow_exception(first_error);
}

void StreamEnds::decode_and_encode() {
  using tbb::filter_mode;
  tbb::task_arena arena(2);
  arena.execute([&] {
    tbb::parallel_pipeline(
        std::size_t(plan_.in_flight),
        tbb::make_filter<void, std::size_t>(filter_mode::serial_in_order,
                                            [this](tbb::flow_control& control) {
                                              bool last = false;
                                              const std::size_t index = decode(last);
                                              if (last) control.stop();
                                              return index;
                                            }) &
            tbb::make_filter<std::size_t, void>(filter_mode::serial_in_order,
                                                [this](std::size_t index) { encode(index); }));
  });
  clocks_.encoding.time([&] { writer_.finish(); });
}

std::size_t StreamEnds::decode(bool& last) {
  if (next_ == plan_.strips.size()) {
    last = true;
    return 0;
  }
  if (handoff_.abandoned().stop_requested() || options_.stop.stop_requested()) {
    throw Interrupted("stopped while streaming");
  }
  const Strip& strip = plan_.strips[next_++];
  clocks_.decoding.time([&] {
    const cv::Mat context = slots_.context(strip);
    feeder_.feed(strip, reinterpret_cast<std::byte*>(context.data), context.step[0]);
    if (on_decoded_) on_decoded_(strip);
  });
  handoff_.decoded(std::size_t(strip.index));
  return std::size_t(strip.index);
}

void StreamEnds::encode(std::size_t index) {
  const Strip& strip = plan_.strips[index];
  handoff_.wait_filtered(index);
  if (options_.stop.stop_requested()) throw Interrupted("stopped while streaming");
  clocks_.encoding.time([&] {
    const cv::Mat out = slots_.output(strip);
    writer_.write_rows(reinterpret_cast<const std::byte*>(out.data), out.step[0], out.rows);
  });
  progress_.rows_done = strip.end;
  if (options_.on_rows) options_.on_rows(progress_);
}

}  // namespace pblur
