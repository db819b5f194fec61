#pragma once

#include <cstddef>
#include <functional>

#include "core/backends/row_feeder.h"
#include "core/backends/stage_clock.h"
#include "core/backends/stream_plan.h"
#include "core/backends/strip_handoff.h"
#include "core/backends/strip_slots.h"
#include "core/image/row_codec.h"

namespace pblur {

// The two serial ends of a streamed run, on two threads of their own so that decoding,
// filtering and encoding overlap: strips are decoded in order into their slots and encoded in
// order once filtered, with at most plan.in_flight strips between the two. Whoever filters
// waits on `handoff` for decoded strips and reports filtered ones there.
class StreamEnds {
 public:
  // Called on the decoding thread once a strip's rows are in its slot, before the strip is
  // announced as decoded.
  using OnDecoded = std::function<void(const Strip&)>;

  StreamEnds(RowReader& reader, RowWriter& writer, const StreamPlan& plan, const StripSlots& slots,
             StripHandoff& handoff, StageClocks& clocks, const StreamOptions& options);

  // Runs the ends on a thread of their own while `filter_side` runs on this one. Either side's
  // failure abandons the handoff, so the other stops waiting; the first failure is rethrown.
  void run_with(const std::function<void()>& filter_side, OnDecoded on_decoded = {});

 private:
  void decode_and_encode();
  std::size_t decode(bool& last);
  void encode(std::size_t index);

  RowWriter& writer_;
  const StreamPlan& plan_;
  const StripSlots& slots_;
  StripHandoff& handoff_;
  StageClocks& clocks_;
  const StreamOptions& options_;
  RowFeeder feeder_;
  OnDecoded on_decoded_;
  StreamProgress progress_;
  std::size_t next_ = 0;
};

}  // namespace pblur
