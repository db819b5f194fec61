#include "core/os/memory_mapping.h"

#include <sys/mman.h>

#include <cerrno>
#include <system_error>

namespace pblur {

MemoryMapping::MemoryMapping(const FileDescriptor& file, std::size_t bytes, int extra_flags,
                             const std::string& purpose) {
  void* address =
      mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | extra_flags, file.get(), 0);
  if (address == MAP_FAILED) throw std::system_error(errno, std::generic_category(), purpose);
  data_ = static_cast<std::byte*>(address);
  size_ = bytes;
}

MemoryMapping& MemoryMapping::operator=(MemoryMapping&& other) noexcept {
  if (this != &other) {
    reset();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void MemoryMapping::reset() noexcept {
  if (data_) munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace pblur
