#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "core/ipc/fork_server.h"
#include "core/ipc/shared_arena.h"
#include "core/ipc/shared_queue.h"
#include "core/ipc/worker_fault.h"

namespace pblur {

struct PoolShared;
struct WorkerSlot;

// Sends one result from a worker: the concatenation of `head` and `body`.
using ResultSender =
    std::function<void(std::span<const std::byte> head, std::span<const std::byte> body)>;

// Runs in a worker process: turns one task into one result, sent once through `send`.
// An exception fails that task (not the worker) with the exception's message.
using TaskHandler = void (*)(std::span<const std::byte> task, const ResultSender& send);

struct PoolOptions {
  int workers = 1;
  std::size_t task_queue_bytes = 64 * 1024;
  std::size_t result_queue_bytes = 64 * 1024;
  // A worker that holds one task longer than this is killed, and the task is retried.
  std::optional<std::chrono::milliseconds> task_timeout;
  // A task whose worker died this many times fails.
  int max_attempts = 3;
  // Runs once in each new worker before its first task.
  void (*worker_init)() = nullptr;
  // When a stop is requested, run() stops within a few milliseconds and throws Interrupted;
  // results that arrived before then have been handed on.
  std::stop_token stop;
  // A failure to inject into the workers, for tests; without one, default_fault_plan().
  std::optional<FaultPlan> fault;
};

// Task bytes: `head` then `body`, sent as one message without joining them first. A task that
// is not `ready` yet (its input is still being made) is asked for again a moment later.
struct TaskBytes {
  std::span<const std::byte> head;
  std::span<const std::byte> body;
  bool ready = true;
};

struct TaskOutcome {
  std::size_t index = 0;
  bool ok = false;
  std::span<const std::byte> result;  // when ok
  std::string error;                  // when not
};

struct PoolRunStats {
  std::chrono::nanoseconds sending{0};     // putting tasks into the queue
  std::chrono::nanoseconds collecting{0};  // taking results and handing them on
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  int workers_replaced = 0;
};

// Worker processes, forked once and fed through a SharedQueue of tasks; results come back in
// completion order through a second queue. A worker that dies (a signal, an exit, a timeout) is
// replaced and the task it held is sent again, up to PoolOptions::max_attempts times.
class ProcessPool {
 public:
  ProcessPool(SharedArena& arena, ForkServer& server, TaskHandler handler, PoolOptions options);
  ~ProcessPool();  // a stop sentinel to each worker; each exits and is reaped
  ProcessPool(const ProcessPool&) = delete;
  ProcessPool& operator=(const ProcessPool&) = delete;

  int workers() const { return static_cast<int>(pids_.size()); }
  const std::vector<pid_t>& worker_pids() const { return pids_; }
  std::size_t max_task_bytes() const;
  std::size_t max_result_bytes() const;

  // Runs tasks 0 .. count-1. `task(i)` gives task i's bytes, maybe more than once (a retry);
  // they must stay valid until run() returns. `done` is called once per task, in completion
  // order. Task failures are reported through `done`; run() throws only if the pool itself breaks,
  // or Interrupted when a stop is requested of PoolOptions::stop or `stop`. Tasks are sent in index
  // order (retries first), so a task that is not ready holds back those after it.
  PoolRunStats run(std::size_t count, const std::function<TaskBytes(std::size_t)>& task,
                   const std::function<void(const TaskOutcome&)>& done, std::stop_token stop = {});

 private:
  class Run;
  void start_worker(int slot);
  void stop_workers() noexcept;

  SharedArena& arena_;
  ForkServer& server_;
  PoolOptions options_;
  SharedBlock shared_block_;
  PoolShared* shared_ = nullptr;
  std::vector<pid_t> pids_;
  std::uint32_t generation_ = 0;
};

}  // namespace pblur
