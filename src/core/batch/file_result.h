#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pblur {

enum class FileStatus { processed, skipped, failed };
std::string_view file_status_name(FileStatus status);

// Time spent on one file in each phase, by whichever process or thread did that phase.
struct FileTimes {
  std::chrono::nanoseconds load{0};
  std::chrono::nanoseconds filter{0};
  std::chrono::nanoseconds save{0};
};

// What became of one file of a batch.
struct FileResult {
  std::size_t item = 0;  // index into the items given to run_batch
  FileStatus status = FileStatus::processed;
  std::string reason;  // when failed: one line that names the file
  std::uint64_t output_bytes = 0;
  FileTimes times;
  std::vector<std::string> warnings = {};  // one line each, naming the file: metadata dropped
};

using FileReport = std::function<void(const FileResult&)>;

}  // namespace pblur
