#include "core/os/file_descriptor.h"

#include <unistd.h>

namespace pblur {

void FileDescriptor::reset(int fd) noexcept {
  if (fd_ >= 0 && fd_ != fd) ::close(fd_);  // Don't retry close on EINTR: the descriptor is gone.
  fd_ = fd;
}

ssize_t FileDescriptor::read(std::span<std::byte> bytes) const noexcept {
  return retry_on_interrupt([&] { return ::read(fd_, bytes.data(), bytes.size()); });
}

ssize_t FileDescriptor::write(std::span<const std::byte> bytes) const noexcept {
  return retry_on_interrupt([&] { return ::write(fd_, bytes.data(), bytes.size()); });
}

bool FileDescriptor::write_all(std::span<const std::byte> bytes) const noexcept {
  while (!bytes.empty()) {
    const ssize_t written = write(bytes);
    if (written < 0) return false;
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
  return true;
}

}  // namespace pblur
