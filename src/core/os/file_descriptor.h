#pragma once

#include <unistd.h>

namespace pblur {

// Owns one open file descriptor; -1 owns none.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);  // Don't retry close on EINTR: the descriptor is gone either way.
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace pblur
