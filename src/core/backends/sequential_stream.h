#pragma once

#include <cstdint>

#include "core/backends/stream_stats.h"
#include "core/filters/filter_spec.h"
#include "core/image/row_codec.h"

namespace pblur {

// Decodes `reader`, filters and encodes into `writer` strip by strip on this thread alone, with
// OpenCV as it is set up: one strip and its context rows are held at a time, so memory is a
// window of rows whatever the image's height. Each strip is filtered by filter_strip, as the
// workers of the parallel streams filter theirs, so the bytes written are those of the whole
// image filtered in one call. For a worker of a batch that owns a whole image. Finishes
// `writer`. Throws CodecError from either codec, Interrupted when a stop is requested.
StreamStats stream_sequentially(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                                const StreamOptions& options = {});

// The pixel memory stream_sequentially holds for an image of `layout` through a filter of
// `radius` rows: one strip's context rows and its output rows.
std::uint64_t sequential_stream_bytes(const RowLayout& layout, int radius);

}  // namespace pblur
