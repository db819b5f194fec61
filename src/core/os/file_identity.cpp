#include "core/os/file_identity.h"

#include <sys/stat.h>

namespace pblur {
namespace {

namespace fs = std::filesystem;

// `path` made absolute, with symbolic links and `..` resolved as far as it exists.
fs::path real_path(const fs::path& path) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error);
  if (error) return path.lexically_normal();
  const fs::path canonical = fs::weakly_canonical(absolute, error);
  return error ? absolute.lexically_normal() : canonical;
}

}  // namespace

std::optional<FileId> identity_of(const fs::path& path) {
  struct stat status;
  if (stat(path.c_str(), &status) != 0) return std::nullopt;
  return FileId{status.st_dev, status.st_ino};
}

bool folder_is_within(const fs::path& inner, const fs::path& outer) {
  const std::optional<FileId> target = identity_of(outer);
  if (!target) return false;
  fs::path folder = real_path(inner);
  while (true) {
    if (identity_of(folder) == target) return true;
    if (!folder.has_relative_path()) return false;
    folder = folder.parent_path();
  }
}

std::optional<std::string> non_regular_kind(const fs::path& path) {
  struct stat status;
  if (lstat(path.c_str(), &status) != 0 || S_ISREG(status.st_mode)) return std::nullopt;
  switch (status.st_mode & S_IFMT) {
    case S_IFDIR:
      return "a folder";
    case S_IFLNK:
      return "a symbolic link";
    case S_IFIFO:
      return "a FIFO";
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    case S_IFSOCK:
      return "a socket";
  }
  return "not a regular file";
}

}  // namespace pblur
