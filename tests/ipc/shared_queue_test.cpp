// The queue between threads of one process (see shared_queue_process_test.cpp for processes).
#include "core/ipc/shared_queue.h"

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/ipc/shared_arena.h"
#include "test_support.h"

namespace pblur {
namespace {

using namespace std::chrono_literals;

class QueueTest : public ::testing::Test {
 protected:
  SharedQueue make(std::size_t capacity) {
    blocks_.emplace_back(testing::runtime().arena, SharedQueue::footprint(capacity));
    return SharedQueue::create(blocks_.back().data(), capacity);
  }

 private:
  std::vector<SharedBlock> blocks_;
};

std::span<const std::byte> bytes(const std::string& text) {
  return std::as_bytes(std::span(text));
}

std::string text(const QueueMessage& message) {
  const auto payload = message.payload();
  return std::string(reinterpret_cast<const char*>(payload.data()), payload.size());
}

TEST_F(QueueTest, DeliversInOrderWithTagsAndPayloads) {
  SharedQueue queue = make(4096);
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(queue.put(bytes(std::string(std::size_t(i), char('a' + i % 26))), std::uint64_t(i)),
              QueueStatus::ok);
  }
  EXPECT_EQ(queue.size(), 50u);
  QueueMessage message;
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(queue.get(message), QueueStatus::ok);
    EXPECT_EQ(message.tag, std::uint64_t(i));
    EXPECT_EQ(text(message), std::string(std::size_t(i), char('a' + i % 26)));
  }
  EXPECT_EQ(queue.size(), 0u);
}

TEST_F(QueueTest, WrapsAroundTheRingWithoutCorruptingMessages) {
  SharedQueue queue = make(200);
  QueueMessage message;
  for (int i = 0; i < 2000; ++i) {
    const std::string payload(std::size_t(1 + i * 7 % 90), char('A' + i % 50));
    ASSERT_EQ(queue.put(bytes(payload), std::uint64_t(i)), QueueStatus::ok);
    ASSERT_EQ(queue.get(message), QueueStatus::ok);
    ASSERT_EQ(text(message), payload);
  }
}

TEST_F(QueueTest, GathersPartsIntoOneMessage) {
  SharedQueue queue = make(256);
  const std::string head = "head:", body = "body";
  const std::span<const std::byte> parts[2] = {bytes(head), bytes(body)};
  ASSERT_EQ(queue.put(parts, 7), QueueStatus::ok);
  QueueMessage message;
  ASSERT_EQ(queue.get(message), QueueStatus::ok);
  EXPECT_EQ(text(message), "head:body");
}

TEST_F(QueueTest, GetTimesOutOnEmptyAndPutTimesOutOnFull) {
  SharedQueue queue = make(64);
  QueueMessage message;
  EXPECT_EQ(queue.get(message, 20ms), QueueStatus::timed_out);
  EXPECT_EQ(queue.get(message, 0ns), QueueStatus::timed_out);
  const std::string payload(40, 'x');
  ASSERT_EQ(queue.put(bytes(payload), 1, 0ns), QueueStatus::ok);
  EXPECT_EQ(queue.put(bytes(payload), 2, 20ms), QueueStatus::timed_out);
  EXPECT_EQ(queue.size(), 1u);
}

TEST_F(QueueTest, RefusesAMessageLargerThanItsCapacity) {
  SharedQueue queue = make(128);
  EXPECT_THROW(queue.put(bytes(std::string(queue.max_payload() + 1, 'x')), 1), std::length_error);
  EXPECT_EQ(queue.put(bytes(std::string(queue.max_payload(), 'x')), 1, 0ns), QueueStatus::ok);
}

TEST_F(QueueTest, BlockedPutWakesWhenSpaceAppears) {
  SharedQueue queue = make(64);
  const std::string payload(40, 'x');
  ASSERT_EQ(queue.put(bytes(payload), 1), QueueStatus::ok);
  std::thread producer([&] { EXPECT_EQ(queue.put(bytes(payload), 2), QueueStatus::ok); });
  QueueMessage message;
  ASSERT_EQ(queue.get(message), QueueStatus::ok);
  ASSERT_EQ(queue.get(message), QueueStatus::ok);
  EXPECT_EQ(message.tag, 2u);
  producer.join();
}

TEST_F(QueueTest, CloseWakesBlockedReadersAfterTheyDrainWhatIsLeft) {
  SharedQueue queue = make(1024);
  std::atomic<int> closed_seen{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      QueueMessage message;
      if (queue.get(message) == QueueStatus::closed) ++closed_seen;
    });
  }
  std::this_thread::sleep_for(30ms);  // let them block; the result does not depend on it
  queue.close();
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(closed_seen.load(), 3);
  EXPECT_EQ(queue.put(bytes("late"), 1), QueueStatus::closed);

  SharedQueue draining = make(1024);
  ASSERT_EQ(draining.put(bytes("left"), 9), QueueStatus::ok);
  draining.close();
  QueueMessage message;
  EXPECT_EQ(draining.get(message), QueueStatus::ok);
  EXPECT_EQ(text(message), "left");
  EXPECT_EQ(draining.get(message), QueueStatus::closed);
}

struct Item {
  std::uint32_t producer;
  std::uint32_t sequence;
};

TEST_F(QueueTest, ManyProducersAndConsumersLoseAndDuplicateNothing) {
  constexpr int kProducers = 4, kConsumers = 4, kPerProducer = 25000;
  SharedQueue queue = make(16 * (16 + sizeof(Item)));
  std::vector<std::atomic<int>> seen(kProducers * kPerProducer);
  std::atomic<int> out_of_order{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (int s = 0; s < kPerProducer; ++s) {
        const Item item{std::uint32_t(p), std::uint32_t(s)};
        queue.put(std::as_bytes(std::span(&item, 1)), 0);
      }
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&] {
      std::vector<int> last(kProducers, -1);
      QueueMessage message;
      while (queue.get(message) == QueueStatus::ok) {
        Item item;
        std::memcpy(&item, message.payload().data(), sizeof item);
        if (int(item.sequence) <= last[item.producer]) ++out_of_order;
        last[item.producer] = int(item.sequence);
        ++seen[item.producer * kPerProducer + item.sequence];
      }
    });
  }
  for (int p = 0; p < kProducers; ++p) threads[std::size_t(p)].join();
  queue.close();
  for (std::size_t c = kProducers; c < threads.size(); ++c) threads[c].join();
  EXPECT_EQ(out_of_order.load(), 0);
  int wrong = 0;
  for (const auto& count : seen) wrong += count.load() != 1;
  EXPECT_EQ(wrong, 0);
}

}  // namespace
}  // namespace pblur
