#include "core/image/memory_file.h"

#include <algorithm>
#include <new>

namespace pblur {

MemoryFile::MemoryFile() {
  file_ = fopencookie(&buffer_, "w+", {nullptr, &MemoryFile::write, &MemoryFile::seek, nullptr});
  if (!file_) throw std::bad_alloc();
}

MemoryFile::~MemoryFile() {
  if (file_) std::fclose(file_);
}

ssize_t MemoryFile::write(void* cookie, const char* data, std::size_t size) {
  auto& buffer = *static_cast<Buffer*>(cookie);
  try {
    if (buffer.bytes.size() < buffer.at + size) buffer.bytes.resize(buffer.at + size);
  } catch (const std::bad_alloc&) {
    buffer.failed = true;
    return -1;
  }
  std::copy_n(data, size, buffer.bytes.begin() + std::ptrdiff_t(buffer.at));
  buffer.at += size;
  return ssize_t(size);
}

int MemoryFile::seek(void* cookie, off64_t* offset, int whence) {
  auto& buffer = *static_cast<Buffer*>(cookie);
  const off64_t base = whence == SEEK_SET   ? 0
                       : whence == SEEK_CUR ? off64_t(buffer.at)
                                            : off64_t(buffer.bytes.size());
  if (base + *offset < 0) return -1;
  buffer.at = std::size_t(base + *offset);
  *offset = off64_t(buffer.at);
  return 0;
}

std::vector<uchar> MemoryFile::bytes() {
  if (file_) {
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!closed || buffer_.failed) throw std::bad_alloc();
  }
  return std::move(buffer_.bytes);
}

}  // namespace pblur
