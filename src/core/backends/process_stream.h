#pragma once

#include <opencv2/core.hpp>

#include "core/backends/backend.h"
#include "core/backends/stream_stats.h"
#include "core/filters/filter_spec.h"
#include "core/image/row_codec.h"
#include "core/ipc/process_pool.h"

namespace pblur {

// Decodes `reader`, has `pool`'s workers filter, and encodes into `writer` at once, strip by
// strip: this process decodes strips into a bounded ring of slots (in shared memory for the
// shared transport) while the workers filter the strips already decoded and the finished ones
// are encoded in order. A strip stays in its slot until it is encoded, so a worker that dies
// costs only its strip. `pool` runs filter_strip_task; its queues must hold a StripTask (and,
// for the copy transport, a slot's pixels: see streamed_task_bytes). Throws CodecError,
// ProcessingError (a strip kept killing its workers), Interrupted.
StreamStats stream_with_processes(ProcessPool& pool, cv::MatAllocator* shared_allocator,
                                  Transport transport, RowReader& reader, RowWriter& writer,
                                  const FilterChain& spec, const StreamOptions& options = {});

// The largest task and result a streamed run of `reader`'s image sends through the queues.
struct StreamedMessageBytes {
  std::size_t task = 0;
  std::size_t result = 0;
};
StreamedMessageBytes streamed_message_bytes(const RowLayout& layout, const FilterChain& spec,
                                            Transport transport, int workers, int strips);

}  // namespace pblur
