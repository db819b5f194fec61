#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/errors.h"
#include "core/batch/file_result.h"
#include "core/batch/output_manifest.h"
#include "core/batch/output_record.h"

namespace pblur {

// One share of a batch split across N independent pblur processes (machines): share `index` of
// `count`, numbered from 0. A file belongs to the share fnv1a_64(its relative path) % count.
struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
};

// "K/N" with 0 <= K < N; nullopt if malformed or out of range.
std::optional<Shard> parse_shard(std::string_view text);

// The share that the file at `relative_path` (relative to the input folder, '/'-separated)
// belongs to: the same on every machine and in every build.
std::uint64_t shard_of(std::string_view relative_path, std::uint64_t count);

// True if the file name ends in an extension OpenCV reads, in any letter case.
bool has_image_extension(const std::filesystem::path& path);

struct BatchPlanOptions {
  // Folders of images, and image files: a folder's images keep their path below it in
  // output_dir, a file its name.
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path output_dir;
  bool recursive = false;
  std::string format;  // output extension without the dot ("jpg"); empty: keep each input's
  std::string suffix;  // appended to each output's stem
  bool overwrite = false;
  Shard shard;
  std::stop_token stop;          // scanning ends with Interrupted when a stop is requested
  std::string options_digest;    // output_options_digest() of the filter and save
  std::filesystem::path report;  // the report file; empty: none (or stdout)
  // Tests: keep the records in the manifest, as where output_dir has no extended attributes.
  bool records_in_manifest = false;
};

struct BatchItem {
  std::filesystem::path input;
  std::filesystem::path output;
  std::string relative;  // the input's path below its input folder ('/'-separated), or its name
  std::uint64_t input_bytes = 0;
  std::string record{};  // the source record of the output to make: the input as planned
  OutputState output_state = OutputState::missing;  // why it is to be filtered, or skipped
};

// A folder that cannot be read, or an image whose output cannot be placed: that path's failure.
struct PlanFailure {
  BatchItem item;  // for a folder: the folder and the output folder it mirrors to
  std::string reason;
};

struct BatchPlan {
  std::vector<BatchItem> work;      // this shard's images to filter, by relative path
  std::vector<BatchItem> skipped;   // this shard's images whose output is up to date
  std::vector<PlanFailure> failed;  // failed before any work, by relative path
  std::size_t found = 0;            // images found in the inputs, all shards
  // Where the output folder keeps no extended attributes: the records, kept in its manifest.
  std::optional<OutputManifest> manifest;
};

// An option of a plan that cannot be used. Carries the option's value; the command line words it.
class PlanOptionError : public UsageError {
 public:
  enum class Problem {
    unknown_format,      // value: the format
    suffix_with_slash,   // value: the suffix
    suffix_too_long,     // value: the suffix
    output_scanned,      // value: the output folder, inside the input folder `other`
    shared_output_names  // value: which inputs share which output; other: how many outputs
  };
  PlanOptionError(Problem kind, std::string given, std::string beside, const std::string& message)
      : UsageError(message), problem(kind), value(std::move(given)), other(std::move(beside)) {}

  Problem problem;
  std::string value;
  std::string other;
};

// Finds the images, maps each to its output and decides what to skip: an output whose record
// says it was made from its input as it is now with the same options. The records are the
// outputs' extended attributes, or the manifest of an output folder that has none. Throws
// before any work: InputError (a missing input), OutputError (the output folder is a file, the
// report is an input, not a regular file or one of the outputs), PlanOptionError (an unknown
// format, a suffix that is not a plain name, an output folder that the scan would read as
// input, two inputs with one output), UsageError (an output folder that is an input folder, an
// output that is an input).
//
// Folders and files are compared by identity (device and inode), so a symbolic link or a bind
// mount of a folder is that folder. The output folder may lie inside the input folder only when
// the scan cannot reach it: refused if it is the input folder itself, or inside it while the
// scan is recursive; a plain scan reads only the input folder's own files.
//
// A subfolder that cannot be read, or an output that cannot be placed (its name is too long,
// or a FIFO, device, symbolic link or folder stands there), is that path's failure in
// `failed`, and the rest of the plan stands.
BatchPlan plan_batch(const BatchPlanOptions& options);

// Creates the output folder and every subfolder that the plan writes into, and removes from
// them the temporary files of writers that are gone (remove_abandoned_temporaries). Throws
// OutputError if the output folder cannot be made; an image whose subfolder cannot be (a file
// stands in its way) moves from `work` to `failed`.
void create_output_folders(const std::filesystem::path& output_dir, BatchPlan& plan);

// Where the plan keeps its records in a manifest: records there each output of `results` that
// was made, and saves it. Throws OutputError.
void record_in_manifest(BatchPlan& plan, std::span<const FileResult> results);

}  // namespace pblur
