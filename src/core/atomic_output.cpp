#include "core/atomic_output.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>

#include "core/errors.h"

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

constexpr std::string_view kTemporaryMark = ".pblur-";

fs::path temporary_name(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  return folder_of(path) / ("." + path.filename().string() + std::string(kTemporaryMark) +
                            std::to_string(getpid()) + "-" + std::to_string(counter++) + ".tmp");
}

// The writer's process id in a name made by temporary_name(), or 0 for any other name.
pid_t temporary_writer(std::string_view name) {
  const auto mark = name.rfind(kTemporaryMark);
  if (!name.starts_with('.') || !name.ends_with(".tmp") || mark == std::string_view::npos) return 0;
  name.remove_prefix(mark + kTemporaryMark.size());
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
  return error == std::errc() && end != name.data() && *end == '-' ? pid : 0;
}

void write_all(int fd, std::span<const std::byte> bytes, const fs::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "write failed", errno);
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  if (fsync(fd) != 0) fail(path, "fsync failed", errno);
}

void keep_permissions_of_existing(int fd, const fs::path& path) {
  struct stat existing;
  if (stat(path.c_str(), &existing) == 0) fchmod(fd, existing.st_mode & 07777);
}

// Gives the unnamed file `fd` the name `path`, replacing whatever was there.
void publish(int fd, const fs::path& path) {
  const fs::path temporary = temporary_name(path);
  const std::string proc_path = "/proc/self/fd/" + std::to_string(fd);
  BlockedSignals blocked;
  if (linkat(AT_FDCWD, proc_path.c_str(), AT_FDCWD, temporary.c_str(), AT_SYMLINK_FOLLOW) != 0) {
    fail(path, "cannot link the new file", errno);
  }
  if (rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    unlink(temporary.c_str());
    fail(path, "cannot rename the new file into place", error);
  }
}

// For file systems without O_TMPFILE: a named temporary file, removed on any failure.
void write_through_named_file(const fs::path& path, std::span<const std::byte> bytes) {
  const fs::path temporary = temporary_name(path);
  const Descriptor fd(open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (fd.get() < 0) fail(path, "cannot create a temporary file", errno);
  try {
    keep_permissions_of_existing(fd.get(), path);
    write_all(fd.get(), bytes, path);
    BlockedSignals blocked;
    if (rename(temporary.c_str(), path.c_str()) != 0) fail(path, "cannot rename into place", errno);
  } catch (...) {
    unlink(temporary.c_str());
    throw;
  }
}

}  // namespace

void write_file_atomically(const fs::path& path, std::span<const std::byte> bytes) {
  const Descriptor fd(open(folder_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666));
  if (fd.get() < 0) {
    if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) {
      write_through_named_file(path, bytes);
      return;
    }
    fail(path, "cannot create a file in its folder", errno);
  }
  keep_permissions_of_existing(fd.get(), path);
  write_all(fd.get(), bytes, path);
  publish(fd.get(), path);
}

void remove_abandoned_temporaries(const fs::path& folder) noexcept {
  try {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      const pid_t writer = temporary_writer(entry.path().filename().native());
      if (writer > 0 && kill(writer, 0) != 0 && errno == ESRCH) fs::remove(entry.path(), error);
    }
  } catch (...) {
    // Nothing to report: what is left is a hidden file, never a partial output.
  }
}

}  // namespace pblur
