#pragma once

#include <sys/types.h>

#include <cerrno>
#include <cstddef>
#include <span>
#include <utility>

namespace pblur {

// Calls `call` again for as long as a signal interrupts it (it returns -1 with errno EINTR).
// Every read, write, send, recv, poll and wait of pblur goes through this; close never does.
template <typename Call>
auto retry_on_interrupt(Call call) {
  decltype(call()) result;
  do {
    result = call();
  } while (result == -1 && errno == EINTR);
  return result;
}

// Owns one open file descriptor; -1 owns none. Closed when this goes.
class FileDescriptor {
 public:
  FileDescriptor() noexcept = default;
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  ~FileDescriptor() { reset(); }
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    reset(other.release());
    return *this;
  }

  int get() const noexcept { return fd_; }
  bool is_open() const noexcept { return fd_ >= 0; }
  // Gives up ownership: the caller closes the descriptor.
  int release() noexcept { return std::exchange(fd_, -1); }
  // Closes the descriptor owned now and owns `fd` instead.
  void reset(int fd = -1) noexcept;

  // Up to `bytes.size()` bytes read or written, as ::read and ::write, but never interrupted:
  // -1 with errno set on failure.
  ssize_t read(std::span<std::byte> bytes) const noexcept;
  ssize_t write(std::span<const std::byte> bytes) const noexcept;
  // Writes every byte; false with errno set on failure.
  bool write_all(std::span<const std::byte> bytes) const noexcept;

 private:
  int fd_ = -1;
};

}  // namespace pblur
