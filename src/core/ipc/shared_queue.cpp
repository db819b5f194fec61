#include "core/ipc/shared_queue.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>

namespace pblur {

struct QueueHeader {
  pthread_mutex_t mutex;
  std::uint64_t capacity;
  std::uint64_t head;  // bytes ever consumed
  std::uint64_t tail;  // bytes ever produced
  std::uint64_t owner_deaths;
  std::atomic<std::uint32_t> readable;  // futex words: bumped when data or space appears
  std::atomic<std::uint32_t> writable;
  std::atomic<std::uint32_t> closed;
};

namespace {

constexpr std::size_t kRingOffset = (sizeof(QueueHeader) + 63) / 64 * 64;
constexpr std::size_t kRecordHeader = 2 * sizeof(std::uint64_t);  // tag, length

// Waiters wake at least this often even if a waker died between its change and its wake-up.
constexpr std::chrono::milliseconds kLongestSleep{50};

std::size_t record_size(std::size_t payload) {
  return kRecordHeader + (payload + 7) / 8 * 8;
}

using Clock = std::chrono::steady_clock;

std::optional<Clock::time_point> deadline_for(QueueTimeout timeout) {
  if (!timeout) return std::nullopt;
  return Clock::now() + *timeout;
}

void futex_wake_all(std::atomic<std::uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE, INT_MAX, nullptr, nullptr,
          0);
}

// Sleeps while `word` still holds `seen`; false once the deadline has passed.
bool futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t seen,
                std::optional<Clock::time_point> deadline) {
  auto sleep = std::chrono::nanoseconds(kLongestSleep);
  if (deadline) {
    const auto left = *deadline - Clock::now();
    if (left <= Clock::duration::zero()) return false;
    sleep = std::min(sleep, std::chrono::duration_cast<std::chrono::nanoseconds>(left));
  }
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(sleep.count() / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(sleep.count() % 1'000'000'000);
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT, seen, &ts, nullptr, 0);
  return true;
}

// The queue's mutex, held for a scope. A previous holder that died left nothing half-done
// (see SharedQueue), so taking over is only bookkeeping.
class QueueLock {
 public:
  explicit QueueLock(QueueHeader& header) : header_(header) { lock(); }
  ~QueueLock() { unlock(); }
  QueueLock(const QueueLock&) = delete;
  QueueLock& operator=(const QueueLock&) = delete;

  void lock() {
    const int rc = pthread_mutex_lock(&header_.mutex);
    if (rc == EOWNERDEAD) {
      take_over_from_dead_owner();
    } else if (rc != 0) {
      throw std::system_error(rc, std::generic_category(), "locking a shared queue");
    }
    locked_ = true;
  }

  void unlock() {
    if (locked_) pthread_mutex_unlock(&header_.mutex);
    locked_ = false;
  }

 private:
  void take_over_from_dead_owner() {
    ++header_.owner_deaths;
    pthread_mutex_consistent(&header_.mutex);
    // The dead owner may have changed the queue without waking anyone.
    header_.readable.fetch_add(1);
    header_.writable.fetch_add(1);
    futex_wake_all(header_.readable);
    futex_wake_all(header_.writable);
  }

  QueueHeader& header_;
  bool locked_ = false;
};

void copy_in(std::byte* ring, std::uint64_t capacity, std::uint64_t position, const void* from,
             std::size_t bytes) {
  if (bytes == 0) return;  // an empty part may have no address at all
  const std::size_t start = static_cast<std::size_t>(position % capacity);
  const std::size_t first = std::min<std::size_t>(bytes, capacity - start);
  std::memcpy(ring + start, from, first);
  std::memcpy(ring, static_cast<const std::byte*>(from) + first, bytes - first);
}

void copy_out(const std::byte* ring, std::uint64_t capacity, std::uint64_t position, void* to,
              std::size_t bytes) {
  if (bytes == 0) return;
  const std::size_t start = static_cast<std::size_t>(position % capacity);
  const std::size_t first = std::min<std::size_t>(bytes, capacity - start);
  std::memcpy(to, ring + start, first);
  std::memcpy(static_cast<std::byte*>(to) + first, ring, bytes - first);
}

}  // namespace

std::byte* QueueMessage::prepare(std::size_t size) {
  if (size > capacity_) {
    data_.reset(new std::byte[size]);
    capacity_ = size;
  }
  size_ = size;
  return data_.get();
}

std::size_t SharedQueue::footprint(std::size_t capacity) {
  return kRingOffset + (capacity + 7) / 8 * 8;
}

SharedQueue SharedQueue::create(std::byte* memory, std::size_t capacity) {
  if (capacity < record_size(0)) throw std::invalid_argument("shared queue capacity too small");
  auto* header = new (memory) QueueHeader{};
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
  pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
  const int rc = pthread_mutex_init(&header->mutex, &attributes);
  pthread_mutexattr_destroy(&attributes);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "pthread_mutex_init");
  header->capacity = (capacity + 7) / 8 * 8;
  return SharedQueue(header);
}

SharedQueue SharedQueue::attach(std::byte* memory) {
  return SharedQueue(std::launder(reinterpret_cast<QueueHeader*>(memory)));
}

SharedQueue::SharedQueue(QueueHeader* header)
    : header_(header), ring_(reinterpret_cast<std::byte*>(header) + kRingOffset) {}

std::size_t SharedQueue::max_payload() const {
  return header_->capacity - kRecordHeader;
}

QueueStatus SharedQueue::put(std::span<const std::byte> payload, std::uint64_t tag,
                             QueueTimeout timeout) {
  const std::span<const std::byte> parts[1] = {payload};
  return put(parts, tag, timeout);
}

QueueStatus SharedQueue::put(std::span<const std::span<const std::byte>> parts, std::uint64_t tag,
                             QueueTimeout timeout, ClaimRelease release) {
  std::size_t length = 0;
  for (const auto& part : parts) length += part.size();
  if (length > max_payload()) {
    throw std::length_error("a message of " + std::to_string(length) +
                            " bytes exceeds the queue's capacity of " +
                            std::to_string(max_payload()) + " bytes");
  }
  const std::uint64_t record = record_size(length);
  const auto deadline = deadline_for(timeout);
  QueueHeader& h = *header_;
  QueueLock lock(h);
  while (true) {
    if (h.closed.load()) return QueueStatus::closed;
    if (h.capacity - (h.tail - h.head) >= record) break;
    const std::uint32_t seen = h.writable.load();
    lock.unlock();
    if (!futex_wait(h.writable, seen, deadline)) return QueueStatus::timed_out;
    lock.lock();
  }
  const std::uint64_t header_words[2] = {tag, length};
  copy_in(ring_, h.capacity, h.tail, header_words, kRecordHeader);
  std::uint64_t position = h.tail + kRecordHeader;
  for (const auto& part : parts) {
    copy_in(ring_, h.capacity, position, part.data(), part.size());
    position += part.size();
  }
  h.tail += record;  // the commit: the message exists from here on
  if (release.claim) release.claim->store(release.cleared);
  h.readable.fetch_add(1);
  lock.unlock();
  futex_wake_all(h.readable);
  return QueueStatus::ok;
}

QueueStatus SharedQueue::get(QueueMessage& message, QueueTimeout timeout,
                             std::atomic<std::uint64_t>* claim) {
  const auto deadline = deadline_for(timeout);
  QueueHeader& h = *header_;
  QueueLock lock(h);
  while (h.tail == h.head) {
    if (h.closed.load()) return QueueStatus::closed;
    const std::uint32_t seen = h.readable.load();
    lock.unlock();
    if (!futex_wait(h.readable, seen, deadline)) return QueueStatus::timed_out;
    lock.lock();
  }
  std::uint64_t header_words[2];
  copy_out(ring_, h.capacity, h.head, header_words, kRecordHeader);
  message.tag = header_words[0];
  const std::size_t length = static_cast<std::size_t>(header_words[1]);
  copy_out(ring_, h.capacity, h.head + kRecordHeader, message.prepare(length), length);
  if (claim) claim->store(message.tag);
  h.head += record_size(length);  // the commit: the message is taken from here on
  h.writable.fetch_add(1);
  lock.unlock();
  futex_wake_all(h.writable);
  return QueueStatus::ok;
}

void SharedQueue::close() {
  QueueLock lock(*header_);
  header_->closed.store(1);
  header_->readable.fetch_add(1);
  header_->writable.fetch_add(1);
  lock.unlock();
  futex_wake_all(header_->readable);
  futex_wake_all(header_->writable);
}

void SharedQueue::lock_and_abandon() {
  const int rc = pthread_mutex_lock(&header_->mutex);
  if (rc == EOWNERDEAD) pthread_mutex_consistent(&header_->mutex);
}

bool SharedQueue::closed() const {
  return header_->closed.load() != 0;
}

std::size_t SharedQueue::size() const {
  QueueLock lock(*header_);
  std::size_t messages = 0;
  for (std::uint64_t at = header_->head; at != header_->tail; ++messages) {
    std::uint64_t header_words[2];
    copy_out(ring_, header_->capacity, at, header_words, kRecordHeader);
    at += record_size(static_cast<std::size_t>(header_words[1]));
  }
  return messages;
}

std::uint64_t SharedQueue::owner_deaths() const {
  QueueLock lock(*header_);
  return header_->owner_deaths;
}

}  // namespace pblur
