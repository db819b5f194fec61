#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/filters/filter_spec.h"
#include "core/image/image_io.h"
#include "core/os/atomic_output.h"
#include "core/os/file_identity.h"

namespace pblur {

// An input file as it was when pblur opened it.
struct InputStamp {
  FileId id;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

// The input's stamp, taken before it is opened for reading: an input changed or replaced after
// this moment gets a newer stamp, so the record made from this one no longer matches it.
std::optional<InputStamp> stamp_input(const std::filesystem::path& path);

// A digest of the options that shape an output's bytes: the filter and the encoder's quality.
std::string output_options_digest(const FilterChain& chain, const SaveOptions& save);

// What an output was made from: its input's size and modification time and the options digest.
// Stored with the output in the extended attribute kSourceRecordAttribute.
std::string source_record(const InputStamp& input, const std::string& options_digest);

// The rules for writing an output made from `input` with these options: never over `input`
// itself, and recording where it came from. Taken before `input` is opened.
OutputRules output_rules_for(const std::filesystem::path& input, const FilterChain& spec,
                             const SaveOptions& save);

// How an output stands against its input and the options of this run.
enum class OutputState {
  missing,          // no output yet
  up_to_date,       // made from the input as it is now, with these options
  other_options,    // made from the input as it is now, with other options
  input_changed,    // made from an input of another size or time
  older_unrecorded  // no record, and older than its input
};

// Where `output` stands: its extended attribute's record against `input` and `options_digest`. An
// output without a record (a file system without extended attributes, or written by another
// program) counts as up to date if it is newer than its input.
OutputState output_state(const std::filesystem::path& input, const std::filesystem::path& output,
                         const std::string& options_digest);

// Where `output` stands, judged by `record`: the record kept for it elsewhere (an OutputManifest),
// nullopt if none is.
OutputState output_state(const std::filesystem::path& input, const std::filesystem::path& output,
                         const std::optional<std::string>& record,
                         const std::string& options_digest);

// Whether the regular file `output` was made from `input` as it is now, with these options.
bool output_is_up_to_date(const std::filesystem::path& input, const std::filesystem::path& output,
                          const std::string& options_digest);

}  // namespace pblur
