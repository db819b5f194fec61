#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <utility>

#include "core/os/file_descriptor.h"

namespace pblur {

// Owns one range of address space from mmap; unmapped when this goes.
class MemoryMapping {
 public:
  MemoryMapping() noexcept = default;
  // Maps `bytes` of `file` from its start, shared with every process that maps it (MAP_SHARED
  // plus `extra_flags`). Throws std::system_error naming `purpose`.
  MemoryMapping(const FileDescriptor& file, std::size_t bytes, int extra_flags,
                const std::string& purpose);
  ~MemoryMapping() { reset(); }
  MemoryMapping(MemoryMapping&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  MemoryMapping& operator=(MemoryMapping&& other) noexcept;

  std::byte* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  void reset() noexcept;

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace pblur
