#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/backends/filter_backend.h"
#include "core/backends/stream_stats.h"
#include "core/image/image_io.h"
#include "core/image/row_codec.h"
#include "core/os/atomic_output.h"

namespace pblur {

// A streamed run holds a window of rows whatever the image's height, so its guard against
// decompression bombs can be wider than the whole-image path's (kDefaultMaxPixels).
inline constexpr std::uint64_t kDefaultStreamedMaxPixels = std::uint64_t{1} << 32;  // 4.3 GP

struct FileStreamOptions {
  std::uint64_t max_pixels = kDefaultStreamedMaxPixels;
  SaveOptions save;
  OutputRules rules;
  StreamOptions stream;
};

// How stream_file went: streamed, or why the file must go the whole-image way instead.
struct FileStreamResult {
  bool streamed = false;
  std::string whole_image_reason;     // when not streamed
  RowLayout layout;                   // when streamed
  StreamStats stats;                  // when streamed
  std::vector<std::string> warnings;  // when streamed: metadata dropped (see origin_of)
  std::uint64_t output_bytes = 0;     // when streamed: the output file's size
};

// What filters the rows of a reader into a writer, strip by strip, and finishes the writer:
// FilterBackend::stream, or stream_sequentially on the caller's thread.
using RowStream =
    std::function<StreamStats(RowReader&, RowWriter&, const FilterChain&, const StreamOptions&)>;

// Decodes `input`, filters it with `backend` and encodes it into `output` at once, strip by
// strip, in bounded memory, when pblur reads the input's format and writes the output's row by
// row (JPEG, PNG, binary PNM, TIFF) and the rows need no turning. Otherwise writes nothing and
// says why, for the caller to load, filter and save the whole image; an input that cannot be
// opened is left to that path too, which reports it. The output appears whole or not at all
// (see AtomicOutputFile), with the input's metadata and JPEG quality as options.save says (see
// output_metadata, output_quality). Throws InputError (too many pixels, corrupt or cut short
// mid-stream), OutputError, ProcessingError, Interrupted.
FileStreamResult stream_file(FilterBackend& backend, const std::filesystem::path& input,
                             const std::filesystem::path& output, const FilterChain& chain,
                             const FileStreamOptions& options);

// The same with `stream` filtering the rows.
FileStreamResult stream_file(const RowStream& stream, const std::filesystem::path& input,
                             const std::filesystem::path& output, const FilterChain& chain,
                             const FileStreamOptions& options);

}  // namespace pblur
