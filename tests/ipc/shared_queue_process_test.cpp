// The queue between processes: owner death and stress across forked producers and consumers.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/ipc/shared_queue.h"
#include "process_helpers.h"
#include "test_support.h"

namespace pblur {

namespace {

using namespace std::chrono_literals;

void lock_and_die(std::uintptr_t queue_memory) {
  SharedQueue queue = SharedQueue::attach(reinterpret_cast<std::byte*>(queue_memory));
  queue.lock_and_abandon();
  raise(SIGKILL);
}

void block_on_get(std::uintptr_t queue_memory) {
  SharedQueue queue = SharedQueue::attach(reinterpret_cast<std::byte*>(queue_memory));
  QueueMessage message;
  queue.get(message);
}

std::span<const std::byte> bytes(const std::string& text) {
  return std::as_bytes(std::span(text));
}

TEST(QueueAcrossProcesses, SurvivesAProcessKilledWhileHoldingTheLock) {
  SharedBlock block(testing::runtime().arena, SharedQueue::footprint(1024));
  SharedQueue queue = SharedQueue::create(block.data(), 1024);
  ASSERT_EQ(queue.put(bytes("before"), 1), QueueStatus::ok);
  const pid_t holder =
      testing::runtime().server.spawn(lock_and_die, reinterpret_cast<std::uintptr_t>(block.data()));
  const int status = testing::wait_for_exit(holder);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  QueueMessage message;
  ASSERT_EQ(queue.get(message, 5s), QueueStatus::ok);
  EXPECT_EQ(message.tag, 1u);
  ASSERT_EQ(queue.put(bytes("after"), 2, 5s), QueueStatus::ok);
  ASSERT_EQ(queue.get(message, 5s), QueueStatus::ok);
  EXPECT_EQ(message.tag, 2u);
  EXPECT_EQ(queue.owner_deaths(), 1u);
}

TEST(QueueAcrossProcesses, SurvivesAReaderKilledWhileBlocked) {
  SharedBlock block(testing::runtime().arena, SharedQueue::footprint(1024));
  SharedQueue queue = SharedQueue::create(block.data(), 1024);
  const pid_t reader =
      testing::runtime().server.spawn(block_on_get, reinterpret_cast<std::uintptr_t>(block.data()));
  std::this_thread::sleep_for(50ms);  // most likely blocked by now; either way must not matter
  testing::runtime().server.signal(reader, SIGKILL);
  testing::wait_for_exit(reader);
  ASSERT_EQ(queue.put(bytes("x"), 3, 5s), QueueStatus::ok);
  QueueMessage message;
  ASSERT_EQ(queue.get(message, 5s), QueueStatus::ok);
  EXPECT_EQ(message.tag, 3u);
}

struct Item {
  std::uint32_t producer;
  std::uint32_t sequence;
};

// Shared by the processes of one stress run; lives in the arena.
struct StressRun {
  std::byte* queue;
  std::uint32_t per_producer;
  std::atomic<std::uint32_t> next_producer;
  std::atomic<std::uint64_t> duplicates;
  std::atomic<std::uint64_t> out_of_order;
  std::atomic<std::uint8_t>* seen;
};

void produce(std::uintptr_t argument) {
  auto& run = *reinterpret_cast<StressRun*>(argument);
  SharedQueue queue = SharedQueue::attach(run.queue);
  const std::uint32_t producer = run.next_producer.fetch_add(1);
  for (std::uint32_t s = 0; s < run.per_producer; ++s) {
    const Item item{producer, s};
    queue.put(std::as_bytes(std::span(&item, 1)), producer);
  }
}

void consume(std::uintptr_t argument) {
  auto& run = *reinterpret_cast<StressRun*>(argument);
  SharedQueue queue = SharedQueue::attach(run.queue);
  std::vector<std::int64_t> last(64, -1);
  QueueMessage message;
  while (queue.get(message) == QueueStatus::ok) {
    Item item;
    std::memcpy(&item, message.payload().data(), sizeof item);
    if (std::int64_t(item.sequence) <= last[item.producer]) ++run.out_of_order;
    last[item.producer] = item.sequence;
    if (run.seen[std::uint64_t(item.producer) * run.per_producer + item.sequence].fetch_add(1) !=
        0) {
      ++run.duplicates;
    }
  }
}

struct StressCase {
  const char* name;
  std::size_t capacity_in_messages;
  std::uint32_t messages;
};

class QueueStress : public ::testing::TestWithParam<StressCase> {};

TEST_P(QueueStress, EveryMessageArrivesOnceAndInOrderPerProducer) {
  constexpr int kProducers = 3, kConsumers = 3;
  const StressCase& c = GetParam();
  const std::size_t capacity = c.capacity_in_messages * (16 + sizeof(Item));
  const std::uint32_t per_producer = c.messages / kProducers;
  const std::size_t total = std::size_t(per_producer) * kProducers;
  SharedArena& arena = testing::runtime().arena;
  SharedBlock queue_block(arena, SharedQueue::footprint(capacity));
  SharedBlock run_block(arena, sizeof(StressRun));
  SharedBlock seen_block(arena, total);
  SharedQueue queue = SharedQueue::create(queue_block.data(), capacity);
  auto* run = new (run_block.data()) StressRun{};
  run->queue = queue_block.data();
  run->per_producer = per_producer;
  run->seen = reinterpret_cast<std::atomic<std::uint8_t>*>(seen_block.data());

  std::vector<pid_t> producers, consumers;
  const auto argument = reinterpret_cast<std::uintptr_t>(run);
  for (int i = 0; i < kConsumers; ++i)
    consumers.push_back(testing::runtime().server.spawn(consume, argument));
  for (int i = 0; i < kProducers; ++i)
    producers.push_back(testing::runtime().server.spawn(produce, argument));
  for (const pid_t pid : producers) EXPECT_EQ(testing::wait_for_exit(pid), 0);
  queue.close();
  for (const pid_t pid : consumers) EXPECT_EQ(testing::wait_for_exit(pid), 0);

  EXPECT_EQ(run->duplicates.load(), 0u);
  EXPECT_EQ(run->out_of_order.load(), 0u);
  std::size_t missing = 0;
  for (std::size_t i = 0; i < total; ++i) missing += run->seen[i].load() == 0;
  EXPECT_EQ(missing, 0u);
}

INSTANTIATE_TEST_SUITE_P(Capacities, QueueStress,
                         ::testing::Values(StressCase{"capacity_1", 1, 1'000'000},
                                           StressCase{"capacity_10", 10, 1'000'000},
                                           StressCase{"capacity_1000", 1000, 1'000'000},
                                           StressCase{"capacity_1000000", 1'000'000, 1'000'000}),
                         [](const ::testing::TestParamInfo<StressCase>& param) {
                           return std::string(param.param.name);
                         });

}  // namespace
}  // namespace pblur
