#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>

#include <opencv2/core/mat.hpp>

namespace pblur {

// Memory shared with every process forked after the arena was made, at the same address in all
// of them. One memfd backs it (no name in /dev/shm; the kernel frees it when the last process
// that maps it is gone) and the whole range is mapped up front, so blocks allocated later, after
// the fork, are visible to the children too: allocation only grows the file.
class SharedArena {
 public:
  explicit SharedArena(std::size_t reserved_bytes);
  ~SharedArena();
  SharedArena(const SharedArena&) = delete;
  SharedArena& operator=(const SharedArena&) = delete;

  // Page-aligned memory of at least `bytes`, zero-filled. Its pages are allocated now, so running
  // out of memory is an exception here rather than a SIGBUS in a worker.
  std::byte* allocate(std::size_t bytes);
  void release(std::byte* block) noexcept;

  bool contains(const void* p) const noexcept;
  std::size_t bytes_in_use() const;

  // Lets cv::Mat::create() place pixels in the arena (set Mat::allocator before create()).
  cv::MatAllocator* mat_allocator() noexcept { return mat_allocator_.get(); }

 private:
  std::size_t take_free_range(std::size_t bytes);
  void commit(std::size_t offset, std::size_t bytes);

  int fd_ = -1;
  std::byte* base_ = nullptr;
  std::size_t reserved_ = 0;
  std::size_t file_size_ = 0;
  std::map<std::size_t, std::size_t> free_;  // offset -> size, below file_size_
  std::map<std::size_t, std::size_t> used_;  // offset -> size
  mutable std::mutex mutex_;
  std::unique_ptr<cv::MatAllocator> mat_allocator_;
};

// One block of a SharedArena, released when this goes.
class SharedBlock {
 public:
  SharedBlock() = default;
  SharedBlock(SharedArena& arena, std::size_t bytes)
      : arena_(&arena), data_(arena.allocate(bytes)) {}
  ~SharedBlock() { reset(); }
  SharedBlock(SharedBlock&& other) noexcept { *this = std::move(other); }
  SharedBlock& operator=(SharedBlock&& other) noexcept;

  std::byte* data() const noexcept { return data_; }
  void reset() noexcept;

 private:
  SharedArena* arena_ = nullptr;
  std::byte* data_ = nullptr;
};

}  // namespace pblur
