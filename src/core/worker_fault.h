#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pblur {

// Points in a worker's loop where a test can make it fail.
enum class FaultStage { waiting_for_task, took_task, running_task, sending_result };

enum class FaultAction { kill, segv, abort, exit, throw_error, hang };

// A failure that tests inject into worker processes through the environment variable
// PBLUR_WORKER_FAULT, e.g. "stage=running_task,action=segv,task=2,times=3":
//   stage   waiting_for_task | took_task | running_task | sending_result
//   action  kill | segv | abort | exit | throw | hang
//   worker  only the worker in this slot (default: any)
//   task    only while holding this task index (default: any)
//   times   fire at most this many times across all workers of the pool (default 1)
// Without the variable nothing is ever injected.
class WorkerFault {
 public:
  // `fired` counts firings across the pool's workers; it lives in shared memory.
  static WorkerFault from_environment(int worker_slot, std::atomic<int>* fired);

  // Fails here if the fault is set for this stage, worker and task.
  void at(FaultStage stage, std::optional<std::uint64_t> task = std::nullopt);

  // Parses a PBLUR_WORKER_FAULT value; nullopt if malformed.
  static std::optional<WorkerFault> parse(std::string_view text);

 private:
  bool armed_ = false;
  FaultStage stage_ = FaultStage::running_task;
  FaultAction action_ = FaultAction::kill;
  std::optional<int> worker_;
  std::optional<std::uint64_t> task_;
  int times_ = 1;
  int slot_ = -1;
  std::atomic<int>* fired_ = nullptr;
};

}  // namespace pblur
