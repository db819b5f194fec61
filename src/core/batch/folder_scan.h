#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/os/file_identity.h"

namespace pblur {

struct FoundImage {
  std::filesystem::path path;
  std::string relative;  // below the scanned folder, '/'-separated
  FileId id;
};

// A folder or file below the scanned folder that could not be read, and why.
struct ScanFailure {
  std::filesystem::path path;
  std::string relative;
  std::string reason;  // one line, naming the path
  bool folder = false;
};

struct ScanResult {
  std::vector<FoundImage> images;     // by relative path
  std::vector<ScanFailure> failures;  // by relative path
};

struct ScanOptions {
  bool recursive = false;  // also every subfolder (symbolic links to folders are not followed)
  std::optional<FileId> skipped_folder;  // a folder never entered (the output folder)
  std::stop_token stop;                  // scanning ends with Interrupted when a stop is requested
};

// The regular files (or symbolic links to them) with an image extension in `folder`. Throws
// InputError if `folder` itself cannot be read; a subfolder or file that cannot be (unreadable,
// a path longer than PATH_MAX) is a failure of its own, and the scan goes on.
ScanResult scan_for_images(const std::filesystem::path& folder, const ScanOptions& options);

// `path` for a one-line message: a path of more than 200 bytes keeps its two ends.
std::string abbreviated(const std::filesystem::path& path);

}  // namespace pblur
