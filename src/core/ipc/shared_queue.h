#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace pblur {

struct QueueHeader;

enum class QueueStatus { ok, timed_out, closed };

// No value: wait as long as it takes.
using QueueTimeout = std::optional<std::chrono::nanoseconds>;

// One message taken from a SharedQueue. Its buffer is reused by the next get().
class QueueMessage {
 public:
  std::uint64_t tag = 0;
  std::span<const std::byte> payload() const { return {data_.get(), size_}; }

 private:
  friend class SharedQueue;
  std::byte* prepare(std::size_t size);

  std::unique_ptr<std::byte[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// A claim a consumer took with SharedQueue::get(), to be cleared by the put() that sends what it
// made of the message: `cleared` is stored in `claim` right after that message is committed,
// inside the same critical section, so whoever takes the message sees the claim cleared.
struct ClaimRelease {
  std::atomic<std::uint64_t>* claim = nullptr;
  std::uint64_t cleared = 0;
};

// A bounded FIFO of byte messages between processes, in the manner of Python's
// multiprocessing.Queue: blocking put and get with optional timeouts, any number of producers
// and consumers, close() wakes everyone. It lives entirely in shared memory that every user maps
// (a SharedArena block): a ring of records guarded by a robust process-shared mutex, with futex
// words to sleep on. Every change becomes visible through one store made last (tail for put,
// head for get), so a process killed at any instruction, lock held or not, leaves the queue
// whole: the next locker gets EOWNERDEAD and finds nothing to repair.
class SharedQueue {
 public:
  // Bytes of shared memory a queue of `capacity` ring bytes needs.
  static std::size_t footprint(std::size_t capacity);
  // Formats `memory` (footprint(capacity) bytes) as an empty queue.
  static SharedQueue create(std::byte* memory, std::size_t capacity);
  // A handle on a queue that create() formatted, from any process that maps it.
  static SharedQueue attach(std::byte* memory);

  // Largest payload a single message may carry.
  std::size_t max_payload() const;

  // Throws std::length_error for a payload larger than max_payload(): it could never fit.
  QueueStatus put(std::span<const std::byte> payload, std::uint64_t tag,
                  QueueTimeout timeout = std::nullopt);
  // The payload is the concatenation of `parts`, copied straight into the ring.
  QueueStatus put(std::span<const std::span<const std::byte>> parts, std::uint64_t tag,
                  QueueTimeout timeout = std::nullopt, ClaimRelease release = {});

  // Takes the oldest message. If `claim` is given, the message's tag is stored there before the
  // message leaves the queue, in the same critical section: a consumer that dies afterwards has
  // left a record of what it held.
  QueueStatus get(QueueMessage& message, QueueTimeout timeout = std::nullopt,
                  std::atomic<std::uint64_t>* claim = nullptr);

  // Refuses further puts; gets drain what is left and then return closed.
  void close();
  bool closed() const;

  // For fault-injection tests: takes the lock and never gives it back, as a process killed
  // inside put() or get() would.
  void lock_and_abandon();

  std::size_t size() const;            // messages waiting
  std::uint64_t owner_deaths() const;  // times a lock holder died and the queue carried on

 private:
  explicit SharedQueue(QueueHeader* header);

  QueueHeader* header_;
  std::byte* ring_;
};

}  // namespace pblur
