#include "core/batch/folder_scan.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/base/errors.h"
#include "core/batch/batch_plan.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

class Scanner {
 public:
  Scanner(const fs::path& root, const ScanOptions& options) : root_(root), options_(options) {}

  ScanResult run() {
    std::vector<fs::path> pending{root_};
    while (!pending.empty()) {
      const fs::path folder = std::move(pending.back());
      pending.pop_back();
      read_folder(folder, pending);
    }
    const auto by_relative = [](const auto& a, const auto& b) { return a.relative < b.relative; };
    std::sort(result_.images.begin(), result_.images.end(), by_relative);
    std::sort(result_.failures.begin(), result_.failures.end(), by_relative);
    return std::move(result_);
  }

 private:
  void read_folder(const fs::path& folder, std::vector<fs::path>& pending) {
    std::error_code error;
    fs::directory_iterator entries(folder, error);
    for (; !error && entries != fs::directory_iterator(); entries.increment(error)) {
      if (options_.stop.stop_requested()) throw Interrupted("stopped while looking for images");
      const fs::directory_entry& entry = *entries;
      std::error_code kind_error;
      const fs::file_type kind = entry.symlink_status(kind_error).type();
      if (kind_error) {  // a path longer than PATH_MAX, say
        fail(entry.path(),
             "cannot read '" + abbreviated(entry.path()) + "': " + kind_error.message(), true);
      } else if (kind == fs::file_type::directory) {
        if (options_.recursive && !is_skipped(entry.path())) pending.push_back(entry.path());
      } else if (has_image_extension(entry.path())) {
        add_file(entry.path());
      }
    }
    if (!error) return;
    if (folder == root_) {
      throw InputError("cannot read '" + abbreviated(folder) + "': " + error.message());
    }
    fail(folder, "cannot read the folder '" + abbreviated(folder) + "': " + error.message(), true);
  }

  bool is_skipped(const fs::path& folder) const {
    return options_.skipped_folder && identity_of(folder) == options_.skipped_folder;
  }

  void add_file(const fs::path& path) {
    struct stat status;
    if (stat(path.c_str(), &status) != 0) {
      if (errno != ENOENT)  // a symbolic link to nothing is not an image
        fail(path, "cannot read '" + abbreviated(path) + "': " + std::strerror(errno), false);
      return;
    }
    if (S_ISREG(status.st_mode))
      result_.images.push_back({path, relative(path), FileId{status.st_dev, status.st_ino}});
  }

  void fail(const fs::path& path, std::string reason, bool folder) {
    result_.failures.push_back({path, relative(path), std::move(reason), folder});
  }

  std::string relative(const fs::path& path) const {
    return path.lexically_relative(root_).generic_string();
  }

  fs::path root_;
  const ScanOptions& options_;
  ScanResult result_;
};

}  // namespace

ScanResult scan_for_images(const fs::path& folder, const ScanOptions& options) {
  return Scanner(folder, options).run();
}

std::string abbreviated(const fs::path& path) {
  constexpr std::size_t kLongest = 200, kEnd = 80;
  const std::string& text = path.native();
  if (text.size() <= kLongest) return text;
  return text.substr(0, kEnd) + "..." + text.substr(text.size() - kEnd) + " (" +
         std::to_string(text.size()) + " bytes)";
}

}  // namespace pblur
