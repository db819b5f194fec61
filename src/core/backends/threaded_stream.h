#pragma once

#include "core/backends/stream_stats.h"
#include "core/filters/filter_spec.h"
#include "core/image/row_codec.h"

namespace pblur {

// Decodes `reader`, filters and encodes into `writer` at once, strip by strip: one thread decodes
// and one encodes, in strip order (see StreamEnds), while `threads` threads filter, with a
// bounded number of strips in flight, as the process backend does with its workers. The bytes
// written are those of the whole image filtered in one call. Throws CodecError from either
// codec, Interrupted.
StreamStats stream_with_threads(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                                int threads, const StreamOptions& options = {});

// The reference: reads the whole image, filters it in one call and writes it.
StreamStats stream_whole(RowReader& reader, RowWriter& writer, const FilterChain& spec);

}  // namespace pblur
