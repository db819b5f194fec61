#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pblur {

// Points in a worker's loop where a test can make it fail.
enum class FaultStage {
  waiting_for_task,    // before blocking on the task queue
  holding_queue_lock,  // inside the task queue's critical section
  took_task,           // after taking a task, before running it
  running_task,        // inside the task
  sending_result,      // with the result ready, before it is queued
};

enum class FaultAction { kill, segv, abort, exit, throw_error, hang };

// A failure to inject into worker processes, for tests. Plain data: it travels to the workers
// in shared memory. Written as text, e.g. "stage=running_task,action=segv,task=2,times=3":
//   stage   waiting_for_task | holding_queue_lock | took_task | running_task | sending_result
//   action  kill | segv | abort | exit | throw | hang
//   worker  only the worker in this slot (default: any)
//   task    only while holding this task index (default: any)
//   times   fire at most this many times across all the pool's workers (default 1)
struct FaultPlan {
  FaultStage stage = FaultStage::running_task;
  FaultAction action = FaultAction::kill;
  std::int64_t worker = -1;
  std::int64_t task = -1;
  int times = 1;
};

std::optional<FaultPlan> parse_fault_plan(std::string_view text);

// The plan a ProcessPool injects when its options name none. Only tests set one: pblur itself
// never does, and reads no environment variable for it (a test-only build of the binary sets
// one from PBLUR_WORKER_FAULT: tests/fault_hook.cpp).
void set_default_fault_plan(std::optional<FaultPlan> plan);
std::optional<FaultPlan> default_fault_plan();

// A worker's side of a FaultPlan.
class WorkerFault {
 public:
  WorkerFault() = default;
  // `fired` counts firings across the pool's workers, in shared memory.
  WorkerFault(const FaultPlan& plan, int worker_slot, std::atomic<int>& fired)
      : plan_(&plan), slot_(worker_slot), fired_(&fired) {}

  // Whether the plan fires here, counting the firing if so.
  bool fires_at(FaultStage stage, std::optional<std::uint64_t> task = std::nullopt);
  // Fails here if the plan fires here.
  void at(FaultStage stage, std::optional<std::uint64_t> task = std::nullopt);
  // Carries out the plan's action.
  [[noreturn]] void fail() const;

 private:
  const FaultPlan* plan_ = nullptr;
  int slot_ = -1;
  std::atomic<int>* fired_ = nullptr;
};

}  // namespace pblur
