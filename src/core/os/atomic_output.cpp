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

// Gives the file the permissions of the one it replaces and its record, then flushes it.
void finish_file(int fd, const fs::path& path, const OutputRules& rules) {
  struct stat existing;
  if (stat(path.c_str(), &existing) == 0) fchmod(fd, existing.st_mode & 07777);
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

FileDescriptor open_unnamed(const fs::path& path) {
  return FileDescriptor(open(folder_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666));
}

bool lacks_unnamed_files(int error) {
  return error == EOPNOTSUPP || error == EISDIR || error == EINVAL;
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

AtomicOutputFile::AtomicOutputFile(const fs::path& path, OutputRules rules)
    : path_(path), rules_(std::move(rules)) {
  check_replaceable(path_, rules_.protected_files);
  fd_ = open_unnamed(path_);
  if (fd_.is_open()) return;
  if (!lacks_unnamed_files(errno)) fail(path_, "cannot create a file in its folder", errno);
  // For file systems without O_TMPFILE: a named temporary file, removed on any failure and by an
  // interrupting signal's handler.
  named_ = std::make_unique<NamedTemporary>(path_);
  fd_.reset(open(named_->path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!fd_.is_open()) fail(path_, "cannot create a temporary file", errno);
}

AtomicOutputFile::~AtomicOutputFile() {
  if (stream_) {
    fd_.release();  // fclose closes it
    std::fclose(stream_);
  }
}

std::FILE* AtomicOutputFile::stream() {
  if (!stream_) stream_ = fdopen(fd_.get(), "wb");
  if (!stream_) fail(path_, "cannot write", errno);
  return stream_;
}

void AtomicOutputFile::write(std::span<const std::byte> bytes) {
  if (!fd_.write_all(bytes)) fail(path_, "write failed", errno);
}

void AtomicOutputFile::commit() {
  if (stream_ && (std::fflush(stream_) != 0 || std::ferror(stream_))) {
    fail(path_, "write failed", errno);
  }
  finish_file(fd_.get(), path_, rules_);
  if (named_) {
    BlockedSignals blocked;
    place(*named_, path_, rules_);
    return;
  }
  // Gives the unnamed file its name, through a temporary name.
  NamedTemporary temporary(path_);
  const std::string proc_path = "/proc/self/fd/" + std::to_string(fd_.get());
  BlockedSignals blocked;
  if (linkat(AT_FDCWD, proc_path.c_str(), AT_FDCWD, temporary.path().c_str(), AT_SYMLINK_FOLLOW) !=
      0) {
    fail(path_, "cannot link the new file", errno);
  }
  place(temporary, path_, rules_);
}

void write_file_atomically(const fs::path& path, std::span<const std::byte> bytes,
                           const OutputRules& rules) {
  AtomicOutputFile file(path, rules);
  file.write(bytes);
  file.commit();
}

}  // namespace pblur
