#include "core/os/atomic_output.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/base/errors.h"
#include "core/os/temporary_files.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, const std::string& what, int error) {
  throw OutputError("cannot write '" + path.string() + "': " + what + ": " + std::strerror(error));
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) close(fd_);  // Don't retry close on EINTR: the descriptor is gone either way.
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Holds every catchable signal for a scope, so that a Ctrl-C cannot land between two steps that
// must happen together.
class BlockedSignals {
 public:
  BlockedSignals() {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &previous_);
  }
  ~BlockedSignals() { sigprocmask(SIG_SETMASK, &previous_, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;

 private:
  sigset_t previous_;
};

fs::path folder_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// Writes the bytes, the permissions of the file it replaces and its record, then flushes it.
void fill(int fd, std::span<const std::byte> bytes, const fs::path& path,
          const OutputRules& rules) {
  struct stat existing;
  if (stat(path.c_str(), &existing) == 0) fchmod(fd, existing.st_mode & 07777);
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "write failed", errno);
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  if (!rules.source_record.empty()) {  // without it the output is only redone sooner
    fsetxattr(fd, kSourceRecordAttribute, rules.source_record.data(), rules.source_record.size(),
              0);
  }
  if (fsync(fd) != 0) fail(path, "fsync failed", errno);
}

// Renames the complete temporary file into place, unless what is there now must stay.
void place(NamedTemporary& temporary, const fs::path& path, const OutputRules& rules) {
  check_replaceable(path, rules.protected_files);
  if (rename(temporary.path().c_str(), path.c_str()) != 0)
    fail(path, "cannot rename the new file into place", errno);
  temporary.placed();
}

// Gives the unnamed file `fd` its name `path`, through a temporary name.
void publish(int fd, const fs::path& path, const OutputRules& rules) {
  NamedTemporary temporary(path);
  const std::string proc_path = "/proc/self/fd/" + std::to_string(fd);
  BlockedSignals blocked;
  if (linkat(AT_FDCWD, proc_path.c_str(), AT_FDCWD, temporary.path().c_str(), AT_SYMLINK_FOLLOW) !=
      0) {
    fail(path, "cannot link the new file", errno);
  }
  place(temporary, path, rules);
}

// For file systems without O_TMPFILE: a named temporary file, removed on any failure and by an
// interrupting signal's handler.
void write_through_named_file(const fs::path& path, std::span<const std::byte> bytes,
                              const OutputRules& rules) {
  NamedTemporary temporary(path);
  const Descriptor fd(
      open(temporary.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (fd.get() < 0) fail(path, "cannot create a temporary file", errno);
  fill(fd.get(), bytes, path, rules);
  BlockedSignals blocked;
  place(temporary, path, rules);
}

}  // namespace

std::optional<std::string> replacement_problem(const fs::path& path,
                                               const std::vector<FileId>& protected_files) {
  if (const auto kind = non_regular_kind(path))
    return "it is " + *kind + ", not a regular file, and pblur replaces only regular files";
  const std::optional<FileId> existing = identity_of(path);
  if (existing && std::find(protected_files.begin(), protected_files.end(), *existing) !=
                      protected_files.end()) {
    return "it is one of the inputs (the same file by another name)";
  }
  return std::nullopt;
}

void check_replaceable(const fs::path& path, const std::vector<FileId>& protected_files) {
  if (const auto problem = replacement_problem(path, protected_files))
    throw OutputError("cannot write '" + path.string() + "': " + *problem);
}

void write_file_atomically(const fs::path& path, std::span<const std::byte> bytes,
                           const OutputRules& rules) {
  check_replaceable(path, rules.protected_files);
  const Descriptor fd(open(folder_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666));
  if (fd.get() < 0) {
    if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) {
      write_through_named_file(path, bytes, rules);
      return;
    }
    fail(path, "cannot create a file in its folder", errno);
  }
  fill(fd.get(), bytes, path, rules);
  publish(fd.get(), path, rules);
}

}  // namespace pblur
