#include "core/ipc/shared_arena.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>

#include "core/base/errors.h"

namespace pblur {
namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kAutoStep = 0x7fffffff;  // CV_AUTOSTEP of OpenCV's C API

std::size_t round_up_to_page(std::size_t bytes) {
  return (bytes + kPage - 1) / kPage * kPage;
}

// cv::Mat pixels in the arena; headers (UMatData) stay in ordinary memory.
class ArenaMatAllocator final : public cv::MatAllocator {
 public:
  ArenaMatAllocator(SharedArena& arena, Commit commit) : arena_(arena), commit_(commit) {}

  cv::UMatData* allocate(int dims, const int* sizes, int type, void* data0, size_t* step,
                         cv::AccessFlag, cv::UMatUsageFlags) const override {
    size_t total = CV_ELEM_SIZE(type);
    for (int i = dims - 1; i >= 0; --i) {
      if (step) {
        if (data0 && step[i] != kAutoStep) {
          total = step[i];
        } else {
          step[i] = total;
        }
      }
      total *= size_t(sizes[i]);
    }
    uchar* data = data0 ? static_cast<uchar*>(data0)
                        : reinterpret_cast<uchar*>(arena_.allocate(total, commit_));
    auto* u = new cv::UMatData(this);
    u->data = u->origdata = data;
    u->size = total;
    if (data0) u->flags |= cv::UMatData::USER_ALLOCATED;
    return u;
  }

  bool allocate(cv::UMatData* u, cv::AccessFlag, cv::UMatUsageFlags) const override {
    return u != nullptr;
  }

  void deallocate(cv::UMatData* u) const override {
    if (!u) return;
    if (!(u->flags & cv::UMatData::USER_ALLOCATED)) {
      arena_.release(reinterpret_cast<std::byte*>(u->origdata));
    }
    delete u;
  }

 private:
  SharedArena& arena_;
  Commit commit_;
};

// The smallest reservation worth making: room for the queues and a small image.
constexpr std::size_t kSmallestReservation = std::size_t{16} << 20;

std::size_t mebibytes(std::size_t bytes) {
  return bytes >> 20;
}

// Address space this process already uses, from /proc/self/statm (its first field, in pages).
std::size_t address_space_in_use() {
  std::size_t pages = 0;
  if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%zu", &pages) != 1) pages = 0;
    std::fclose(statm);
  }
  return pages * std::size_t(sysconf(_SC_PAGESIZE));
}

bool address_space_limited() {
  rlimit limit{};
  return getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY;
}

}  // namespace

std::size_t SharedArena::reservation_within_limits(std::size_t wanted) {
  if (!address_space_limited()) return wanted;
  rlimit limit{};
  getrlimit(RLIMIT_AS, &limit);
  const std::size_t cap = limit.rlim_cur;
  const std::size_t used = address_space_in_use();
  const std::size_t half_left = (cap > used ? cap - used : 0) / 2 / kPage * kPage;
  if (half_left < kSmallestReservation) {
    throw SharedMemoryShortage(SharedMemoryShortage::Cause::address_space_limit,
                               "the address-space limit (ulimit -v, " +
                                   std::to_string(mebibytes(cap)) +
                                   " MiB) leaves no room for the workers' shared memory");
  }
  return std::min(wanted, half_left);
}

SharedArena::SharedArena(std::size_t reserved_bytes)
    : fd_(memfd_create("pblur-arena", MFD_CLOEXEC)), reserved_(round_up_to_page(reserved_bytes)) {
  if (!fd_.is_open())
    throw std::system_error(errno, std::generic_category(), "creating the workers' shared memory");
  mapping_ = MemoryMapping(fd_, reserved_, MAP_NORESERVE,
                           "reserving " + std::to_string(mebibytes(reserved_)) +
                               " MiB of address space for the workers' shared memory");
  mat_allocator_ = std::make_unique<ArenaMatAllocator>(*this, Commit::now);
  decoder_allocator_ = std::make_unique<ArenaMatAllocator>(*this, Commit::on_write);
}

SharedArena::~SharedArena() = default;

std::byte* SharedArena::allocate(std::size_t bytes, Commit commit) {
  const std::size_t size = round_up_to_page(bytes == 0 ? 1 : bytes);
  std::lock_guard lock(mutex_);
  const std::size_t offset = take_free_range(size, commit);
  used_[offset] = size;
  return mapping_.data() + offset;
}

// Commit::now fallocates the block: what pblur has checked is backed before anyone writes it.
// Commit::on_write only grows the file; the kernel backs each page when it is first written
// (the mapping is MAP_NORESERVE), so a buffer a decoder asked for on an unchecked header's word
// costs what the decoder writes into it. Either way release() punches the pages out again.
std::size_t SharedArena::take_free_range(std::size_t size, Commit commit_pages) {
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    if (it->second < size) continue;
    const auto [offset, free_size] = *it;
    free_.erase(it);
    if (free_size > size) free_[offset + size] = free_size - size;
    try {
      if (commit_pages == Commit::now) commit(offset, size);
    } catch (...) {
      free_[offset] = size;  // (merged again by the next release)
      throw;
    }
    return offset;
  }
  const std::size_t offset = file_size_;
  if (offset + size > reserved_) throw_full(size);
  if (ftruncate(fd_.get(), static_cast<off_t>(offset + size)) != 0) {
    throw std::system_error(errno, std::generic_category(), "growing the shared arena");
  }
  file_size_ = offset + size;
  try {
    if (commit_pages == Commit::now) commit(offset, size);
  } catch (...) {
    free_[offset] = size;
    throw;
  }
  return offset;
}

void SharedArena::throw_full(std::size_t bytes) const {
  const bool limited = address_space_limited();
  throw SharedMemoryShortage(
      limited ? SharedMemoryShortage::Cause::full_under_limit : SharedMemoryShortage::Cause::full,
      "the workers' shared memory is full: " + std::to_string(mebibytes(bytes)) +
          " MiB more needed, " + std::to_string(mebibytes(reserved_)) + " MiB reserved" +
          (limited ? " (ulimit -v caps it)" : ""));
}

void SharedArena::place(cv::Mat& mat, cv::Size size, int type) {
  mat.release();
  mat.allocator = mat_allocator();
  mat.create(size, type);
  if (!contains(mat.data)) {
    const std::size_t bytes = mat.total() * mat.elemSize();
    mat.release();
    throw_full(bytes);
  }
}

void SharedArena::commit(std::size_t offset, std::size_t size) {
  if (fallocate(fd_.get(), 0, static_cast<off_t>(offset), static_cast<off_t>(size)) != 0) {
    const int error = errno;
    fallocate(fd_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
              static_cast<off_t>(size));
    throw std::system_error(error, std::generic_category(), "reserving shared memory");
  }
}

void SharedArena::release(std::byte* block) noexcept {
  if (!block) return;
  std::lock_guard lock(mutex_);
  const auto used = used_.find(static_cast<std::size_t>(block - mapping_.data()));
  if (used == used_.end()) return;
  auto [offset, size] = *used;
  used_.erase(used);
  fallocate(fd_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
            static_cast<off_t>(size));
  auto next = free_.find(offset + size);
  if (next != free_.end()) {
    size += next->second;
    free_.erase(next);
  }
  auto prev = free_.lower_bound(offset);
  if (prev != free_.begin() && std::prev(prev)->first + std::prev(prev)->second == offset) {
    std::prev(prev)->second += size;
  } else {
    free_[offset] = size;
  }
}

bool SharedArena::contains(const void* p) const noexcept {
  const auto* b = static_cast<const std::byte*>(p);
  return b >= mapping_.data() && b < mapping_.data() + reserved_;
}

std::size_t SharedArena::bytes_in_use() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [offset, size] : used_) total += size;
  return total;
}

std::size_t SharedArena::committed_bytes() const {
  struct stat status {};
  if (fstat(fd_.get(), &status) != 0)
    throw std::system_error(errno, std::generic_category(), "fstat");
  return std::size_t(status.st_blocks) * 512;
}

SharedBlock& SharedBlock::operator=(SharedBlock&& other) noexcept {
  if (this != &other) {
    reset();
    arena_ = std::exchange(other.arena_, nullptr);
    data_ = std::exchange(other.data_, nullptr);
  }
  return *this;
}

void SharedBlock::reset() noexcept {
  if (arena_ && data_) arena_->release(data_);
  arena_ = nullptr;
  data_ = nullptr;
}

}  // namespace pblur
