#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <opencv2/core/mat.hpp>

#include "core/base/errors.h"
#include "core/os/file_descriptor.h"
#include "core/os/memory_mapping.h"

namespace pblur {

// When a block's pages become memory.
enum class Commit {
  now,       // before allocate() returns: running out is an exception there, not a SIGBUS later
  on_write,  // page by page as they are written: for sizes nothing has checked
};

// The workers' shared memory cannot hold what is asked of it.
class SharedMemoryShortage : public ProcessingError {
 public:
  enum class Cause {
    address_space_limit,  // the address-space limit leaves too little to reserve any
    full_under_limit,     // the reservation is full, and the address-space limit capped it
    full,                 // the reservation is full
  };
  SharedMemoryShortage(Cause cause, const std::string& message)
      : ProcessingError(message), cause_(cause) {}
  Cause cause() const noexcept { return cause_; }

 private:
  Cause cause_;
};

// Memory shared with every process forked after the arena was made, at the same address in all
// of them. One memfd backs it (no name in /dev/shm; the kernel frees it when the last process
// that maps it is gone) and the whole range is mapped up front, so blocks allocated later, after
// the fork, are visible to the children too: allocation only grows the file.
class SharedArena {
 public:
  // The address space to reserve for an arena that would like `wanted` bytes: all of it without
  // an address-space limit (a reservation costs no memory), otherwise half of what the limit
  // (ulimit -v) leaves this process, so libraries, threads and decoders keep the other half.
  // Throws SharedMemoryShortage if that leaves nothing worth having.
  static std::size_t reservation_within_limits(std::size_t wanted);

  explicit SharedArena(std::size_t reserved_bytes);
  ~SharedArena();
  SharedArena(const SharedArena&) = delete;
  SharedArena& operator=(const SharedArena&) = delete;

  // Page-aligned memory of at least `bytes`, zero-filled, its pages committed as `commit` says.
  // Throws SharedMemoryShortage when the reservation has no room for it.
  std::byte* allocate(std::size_t bytes, Commit commit = Commit::now);
  void release(std::byte* block) noexcept;

  bool contains(const void* p) const noexcept;
  std::size_t bytes_in_use() const;
  // Memory the arena's pages take now (written or committed, not yet released).
  std::size_t committed_bytes() const;

  // Let cv::Mat::create() place pixels in the arena (set Mat::allocator before create()):
  // committed at once, for sizes pblur has checked (an image it decoded, its output), ...
  cv::MatAllocator* mat_allocator() noexcept { return mat_allocator_.get(); }
  // ... or page by page as they are written, for buffers a decoder asks for on the word of a
  // header nothing has checked: a file that claims gigabytes and holds bytes costs bytes.
  cv::MatAllocator* decoder_allocator() noexcept { return decoder_allocator_.get(); }

  // Makes `mat` a `size` image of `type` in the arena, committed now. cv::Mat::create() alone
  // would quietly fall back to the heap, where no worker sees it, when the arena has no room;
  // this throws SharedMemoryShortage instead.
  void place(cv::Mat& mat, cv::Size size, int type);

 private:
  std::size_t take_free_range(std::size_t bytes, Commit commit);
  [[noreturn]] void throw_full(std::size_t bytes) const;
  void commit(std::size_t offset, std::size_t bytes);

  FileDescriptor fd_;
  std::size_t reserved_ = 0;
  MemoryMapping mapping_;
  std::size_t file_size_ = 0;
  std::map<std::size_t, std::size_t> free_;  // offset -> size, below file_size_
  std::map<std::size_t, std::size_t> used_;  // offset -> size
  mutable std::mutex mutex_;
  std::unique_ptr<cv::MatAllocator> mat_allocator_;
  std::unique_ptr<cv::MatAllocator> decoder_allocator_;
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
