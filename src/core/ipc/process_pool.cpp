#include "core/ipc/process_pool.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <algorithm>
#include <deque>
#include <stdexcept>

#include "core/base/errors.h"
#include "core/ipc/worker_fault.h"

namespace pblur {

// Per worker, in shared memory: written by the worker, read by the parent.
struct WorkerSlot {
  PoolShared* pool;
  std::atomic<std::uint64_t> claim;  // tag of the task it holds, or kNoTask
};

struct PoolShared {
  TaskHandler handler;
  void (*worker_init)();
  std::byte* tasks;
  std::byte* results;
  int slot_count;
  bool has_fault;
  FaultPlan fault;
  std::atomic<int> faults_fired;
  WorkerSlot slots[1];  // slot_count of them
};

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kStopTag = ~std::uint64_t{0};
constexpr std::uint64_t kNoTask = kStopTag - 1;

// A worker sent SIGKILL is gone within this, or something is badly wrong.
constexpr auto kKilledWorkerExitLimit = std::chrono::seconds(10);
// How long stopping workers may take to exit on their own before they are killed.
constexpr auto kStoppingWorkerExitLimit = std::chrono::seconds(2);

std::uint64_t make_tag(std::uint32_t generation, std::size_t index) {
  return (std::uint64_t{generation} << 32) | index;
}
std::uint32_t tag_generation(std::uint64_t tag) {
  return static_cast<std::uint32_t>(tag >> 32);
}
std::size_t tag_index(std::uint64_t tag) {
  return static_cast<std::size_t>(tag & 0xffffffffu);
}

struct ResultEnvelope {
  std::uint32_t ok;
  std::uint32_t reserved;
};

std::span<const std::byte> bytes_of(const ResultEnvelope& envelope) {
  return std::as_bytes(std::span(&envelope, 1));
}

// The worker's claim is cleared in the critical section that queues the result: the parent,
// having taken every result, never sees a claim on a task that is done and mistakes its worker
// for one still running a copy of it.
void send_result(SharedQueue& results, std::uint64_t tag, bool ok, std::span<const std::byte> head,
                 std::span<const std::byte> body, std::atomic<std::uint64_t>& claim) {
  const ResultEnvelope envelope{ok ? 1u : 0u, 0};
  const std::span<const std::byte> parts[3] = {bytes_of(envelope), head, body};
  results.put(parts, tag, std::nullopt, ClaimRelease{&claim, kNoTask});
}

void run_task(TaskHandler handler, const QueueMessage& task, SharedQueue& results,
              WorkerFault& fault, std::atomic<std::uint64_t>& claim) {
  bool sent = false;
  const ResultSender send = [&](std::span<const std::byte> head, std::span<const std::byte> body) {
    fault.at(FaultStage::sending_result, tag_index(task.tag));
    send_result(results, task.tag, true, head, body, claim);
    sent = true;
  };
  try {
    fault.at(FaultStage::running_task, tag_index(task.tag));
    handler(task.payload(), send);
    if (!sent) throw std::logic_error("the task produced no result");
  } catch (const std::exception& error) {
    if (!sent)
      send_result(results, task.tag, false, {},
                  std::as_bytes(std::span(std::string_view(error.what()))), claim);
  }
}

void worker_main(std::uintptr_t argument) {
  WorkerSlot& slot = *reinterpret_cast<WorkerSlot*>(argument);
  const PoolShared& pool = *slot.pool;
  if (pool.worker_init) pool.worker_init();
  SharedQueue tasks = SharedQueue::attach(pool.tasks);
  SharedQueue results = SharedQueue::attach(pool.results);
  WorkerFault fault;
  if (pool.has_fault) {
    fault = WorkerFault(pool.fault, static_cast<int>(&slot - pool.slots), slot.pool->faults_fired);
  }
  QueueMessage task;
  while (true) {
    fault.at(FaultStage::waiting_for_task);
    if (fault.fires_at(FaultStage::holding_queue_lock)) {
      tasks.lock_and_abandon();
      fault.fail();
    }
    if (tasks.get(task, std::nullopt, &slot.claim) != QueueStatus::ok) return;
    if (task.tag == kStopTag) return;
    fault.at(FaultStage::took_task, tag_index(task.tag));
    run_task(pool.handler, task, results, fault, slot.claim);
    slot.claim.store(kNoTask);
  }
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = sigabbrev_np(signal);
    return "signal " + std::to_string(signal) + (name ? std::string(" (SIG") + name + ")" : "");
  }
  return "exit status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

class ProcessPool::Run {
 public:
  Run(ProcessPool& pool, std::size_t count, const std::function<TaskBytes(std::size_t)>& task,
      const std::function<void(const TaskOutcome&)>& done, std::stop_token stop)
      : pool_(pool),
        stop_(std::move(stop)),
        tasks_(SharedQueue::attach(pool.shared_->tasks)),
        results_(SharedQueue::attach(pool.shared_->results)),
        task_(task),
        done_(done),
        finished_(count, false),
        deaths_(count, 0),
        remaining_(count),
        watches_(pool.pids_.size()) {
    for (std::size_t i = 0; i < count; ++i) unsent_.push_back(i);
  }

  PoolRunStats execute() {
    drain_stale_results();
    while (remaining_ > 0) {
      if (stop_requested()) {
        kill_holders();
        throw Interrupted("stopped before all tasks were done");
      }
      send_pending();
      receive(unsent_.empty() ? std::chrono::milliseconds(20) : std::chrono::milliseconds(1));
      supervise();
    }
    wait_for_duplicates();
    return stats_;
  }

 private:
  struct Watch {  // what the parent last saw a worker hold, and since when
    std::uint64_t claim = kNoTask;
    Clock::time_point since;
    bool timed_out = false;
  };

  bool stop_requested() const {
    return pool_.options_.stop.stop_requested() || stop_.stop_requested();
  }

  void drain_stale_results() {
    while (results_.get(message_, std::chrono::nanoseconds(0)) == QueueStatus::ok) {
    }
  }

  void drain_tasks() {
    QueueMessage stale;
    while (tasks_.get(stale, std::chrono::nanoseconds(0)) == QueueStatus::ok) {
    }
  }

  void send_pending() {
    const auto start = Clock::now();
    while (!unsent_.empty()) {
      const std::size_t index = unsent_.front();
      const TaskBytes bytes = task_(index);
      if (!bytes.ready) break;
      const std::span<const std::byte> parts[2] = {bytes.head, bytes.body};
      if (tasks_.put(parts, make_tag(pool_.generation_, index), std::chrono::nanoseconds(0)) !=
          QueueStatus::ok) {
        break;
      }
      stats_.bytes_sent += bytes.head.size() + bytes.body.size();
      unsent_.pop_front();
    }
    stats_.sending += Clock::now() - start;
  }

  void receive(std::chrono::nanoseconds wait) {
    QueueTimeout timeout = wait;
    while (remaining_ > 0 && results_.get(message_, timeout) == QueueStatus::ok) {
      handle_result();
      timeout = std::chrono::nanoseconds(0);
    }
  }

  void handle_result() {
    const auto start = Clock::now();
    const std::size_t index = tag_index(message_.tag);
    if (tag_generation(message_.tag) != pool_.generation_ || finished_[index]) return;
    const auto payload = message_.payload();
    stats_.bytes_received += payload.size();
    ResultEnvelope envelope;
    std::memcpy(&envelope, payload.data(), sizeof envelope);
    const auto rest = payload.subspan(sizeof envelope);
    TaskOutcome outcome;
    outcome.index = index;
    outcome.ok = envelope.ok != 0;
    if (outcome.ok) {
      outcome.result = rest;
    } else {
      outcome.error.assign(reinterpret_cast<const char*>(rest.data()), rest.size());
    }
    finish(outcome);
    stats_.collecting += Clock::now() - start;
  }

  void finish(const TaskOutcome& outcome) {
    finished_[outcome.index] = true;
    --remaining_;
    done_(outcome);
  }

  void supervise() {
    for (std::size_t slot = 0; slot < pool_.pids_.size(); ++slot) {
      if (const auto status = pool_.server_.exit_status(pool_.pids_[slot])) {
        handle_death(static_cast<int>(slot), *status);
      } else {
        check_timeout(slot);
      }
    }
  }

  void check_timeout(std::size_t slot) {
    Watch& watch = watches_[slot];
    const std::uint64_t claim = pool_.shared_->slots[slot].claim.load();
    const auto now = Clock::now();
    if (claim != watch.claim) watch = Watch{claim, now, false};
    if (!pool_.options_.task_timeout || claim == kNoTask || watch.timed_out) return;
    if (now - watch.since > *pool_.options_.task_timeout) {
      watch.timed_out = true;
      pool_.server_.signal(pool_.pids_[slot], SIGKILL);
    }
  }

  void handle_death(int slot, int status) {
    receive(std::chrono::nanoseconds(0));  // a result it sent before dying still counts
    WorkerSlot& shared_slot = pool_.shared_->slots[slot];
    const std::uint64_t claim = shared_slot.claim.load();
    const bool timed_out = watches_[std::size_t(slot)].timed_out;
    pool_.server_.forget(pool_.pids_[std::size_t(slot)]);
    watches_[std::size_t(slot)] = Watch{};
    ++stats_.workers_replaced;
    pool_.start_worker(slot);
    if (claim == kNoTask || claim == kStopTag || tag_generation(claim) != pool_.generation_) return;
    const std::size_t index = tag_index(claim);
    if (finished_[index]) return;
    const std::string cause = timed_out ? "timed out" : "died of " + describe_exit(status);
    if (++deaths_[index] >= pool_.options_.max_attempts) {
      TaskOutcome outcome;
      outcome.index = index;
      outcome.error =
          "its worker " + cause + " (" + std::to_string(deaths_[index]) + " workers lost on it)";
      finish(outcome);
    } else {
      unsent_.push_front(index);
    }
  }

  // Whether the worker in `slot` holds a task of this run. Once every result is in, that is a
  // copy of a done task: copies exist after a worker died between taking a task and leaving the
  // queue. None may outlive this run, since the memory they point at may be reused by the next.
  bool holds_task_of_this_run(std::size_t slot) const {
    const std::uint64_t claim = pool_.shared_->slots[slot].claim.load();
    return claim != kNoTask && claim != kStopTag && tag_generation(claim) == pool_.generation_;
  }

  // Queued copies are dropped; a worker running one finishes it, dies or overruns its timeout
  // like any other before run() returns. Their results are dropped as they come.
  void wait_for_duplicates() {
    drain_tasks();
    while (true) {
      bool holders = false;
      for (std::size_t slot = 0; slot < pool_.pids_.size(); ++slot)
        holders |= holds_task_of_this_run(slot);
      if (!holders) return;
      if (stop_requested()) {
        kill_holders();
        return;
      }
      results_.get(message_, std::chrono::milliseconds(20));
      supervise();
    }
  }

  // Stopping: no task of this run may go on.
  void kill_holders() {
    drain_tasks();
    for (std::size_t slot = 0; slot < pool_.pids_.size(); ++slot) {
      if (!holds_task_of_this_run(slot)) continue;
      const pid_t pid = pool_.pids_[slot];
      pool_.server_.signal(pid, SIGKILL);
      if (!pool_.server_.wait_for_exit(pid, kKilledWorkerExitLimit)) {
        throw ProcessingError("worker " + std::to_string(pid) + " survived SIGKILL");
      }
      pool_.server_.forget(pid);
      watches_[slot] = Watch{};
      pool_.start_worker(static_cast<int>(slot));
    }
  }

  ProcessPool& pool_;
  std::stop_token stop_;
  SharedQueue tasks_;
  SharedQueue results_;
  const std::function<TaskBytes(std::size_t)>& task_;
  const std::function<void(const TaskOutcome&)>& done_;
  std::deque<std::size_t> unsent_;
  std::vector<bool> finished_;
  std::vector<int> deaths_;
  std::size_t remaining_;
  std::vector<Watch> watches_;
  QueueMessage message_;
  PoolRunStats stats_;
};

ProcessPool::ProcessPool(SharedArena& arena, ForkServer& server, TaskHandler handler,
                         PoolOptions options)
    : arena_(arena), server_(server), options_(options) {
  if (options_.workers < 1) throw UsageError("a process pool needs at least one worker");
  const std::size_t slots_bytes =
      sizeof(PoolShared) + sizeof(WorkerSlot) * std::size_t(options_.workers - 1);
  const std::size_t tasks_bytes = SharedQueue::footprint(options_.task_queue_bytes);
  const std::size_t results_bytes = SharedQueue::footprint(options_.result_queue_bytes);
  const std::size_t header_bytes = (slots_bytes + 63) / 64 * 64;
  shared_block_ = SharedBlock(arena_, header_bytes + tasks_bytes + results_bytes);
  std::byte* memory = shared_block_.data();
  shared_ = new (memory) PoolShared{};
  shared_->handler = handler;
  shared_->worker_init = options_.worker_init;
  shared_->tasks = memory + header_bytes;
  shared_->results = shared_->tasks + tasks_bytes;
  shared_->slot_count = options_.workers;
  if (!options_.fault) options_.fault = default_fault_plan();
  shared_->has_fault = options_.fault.has_value();
  if (options_.fault) shared_->fault = *options_.fault;
  SharedQueue::create(shared_->tasks, options_.task_queue_bytes);
  SharedQueue::create(shared_->results, options_.result_queue_bytes);
  pids_.assign(std::size_t(options_.workers), -1);
  try {
    for (int slot = 0; slot < options_.workers; ++slot) {
      new (&shared_->slots[slot]) WorkerSlot{shared_, kNoTask};
      start_worker(slot);
    }
  } catch (...) {
    stop_workers();
    throw;
  }
}

ProcessPool::~ProcessPool() {
  stop_workers();
}

void ProcessPool::start_worker(int slot) {
  shared_->slots[slot].claim.store(kNoTask);
  pids_[std::size_t(slot)] =
      server_.spawn(worker_main, reinterpret_cast<std::uintptr_t>(&shared_->slots[slot]));
}

void ProcessPool::stop_workers() noexcept {
  try {
    SharedQueue tasks = SharedQueue::attach(shared_->tasks);
    for (const pid_t pid : pids_) {
      if (pid > 0)
        tasks.put(std::span<const std::byte>(), kStopTag, std::chrono::milliseconds(200));
    }
    const auto deadline = Clock::now() + kStoppingWorkerExitLimit;
    for (const pid_t pid : pids_) {
      if (pid <= 0) continue;
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (!server_.wait_for_exit(pid, std::max(left, std::chrono::milliseconds(0)))) {
        server_.signal(pid, SIGKILL);
        server_.wait_for_exit(pid, kKilledWorkerExitLimit);  // else the server reaps it at the end
      }
      server_.forget(pid);
    }
  } catch (...) {
    // The fork server is gone; with it went every worker.
  }
  pids_.clear();
}

std::size_t ProcessPool::max_task_bytes() const {
  return SharedQueue::attach(shared_->tasks).max_payload();
}

std::size_t ProcessPool::max_result_bytes() const {
  return SharedQueue::attach(shared_->results).max_payload() - sizeof(ResultEnvelope);
}

PoolRunStats ProcessPool::run(std::size_t count, const std::function<TaskBytes(std::size_t)>& task,
                              const std::function<void(const TaskOutcome&)>& done,
                              std::stop_token stop) {
  if (count > 0xffffffffu) throw UsageError("too many tasks for one run");
  ++generation_;
  return Run(*this, count, task, done, std::move(stop)).execute();
}

}  // namespace pblur
