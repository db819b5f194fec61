#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  std::filesystem::path input_dir;
  std::filesystem::path output_dir;
  bool recursive = false;
  std::string format;  // output extension without the dot ("jpg"); empty: keep each input's
  std::string suffix;  // appended to each output's stem
  bool overwrite = false;
  Shard shard;
  const std::atomic<bool>* stop = nullptr;  // scanning ends with Interrupted when it turns true
};

struct BatchItem {
  std::filesystem::path input;
  std::filesystem::path output;
  std::string relative;  // the input's path below the input folder, '/'-separated
  std::uint64_t input_bytes = 0;
};

struct BatchPlan {
  std::vector<BatchItem> work;     // this shard's images to filter, by relative path
  std::vector<BatchItem> skipped;  // this shard's images whose output is newer than the input
  std::size_t found = 0;           // images found in the input folder, all shards
};

// Finds the images, maps each to its output and decides what to skip. Throws before any work:
// InputError (no input folder), OutputError (the output folder is a file), UsageError (an
// unknown --format, an output folder that the scan would read as input, two inputs with one
// output, an output that would replace an input).
//
// The output folder may be the input folder or lie inside it only when the scan cannot reach
// it: refused if it is the input folder itself (after resolving symbolic links), or inside it
// while the scan is recursive; a plain scan reads only the input folder's own files, so a
// subfolder of it is never read as input.
BatchPlan plan_batch(const BatchPlanOptions& options);

// Creates the output folder and every subfolder that the plan writes into. Throws OutputError.
void create_output_folders(const std::filesystem::path& output_dir, const BatchPlan& plan);

}  // namespace pblur
