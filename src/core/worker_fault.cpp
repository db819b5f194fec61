#include "core/worker_fault.h"

#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace pblur {
namespace {

std::optional<FaultStage> parse_stage(std::string_view text) {
  if (text == "waiting_for_task") return FaultStage::waiting_for_task;
  if (text == "took_task") return FaultStage::took_task;
  if (text == "running_task") return FaultStage::running_task;
  if (text == "sending_result") return FaultStage::sending_result;
  return std::nullopt;
}

std::optional<FaultAction> parse_action(std::string_view text) {
  if (text == "kill") return FaultAction::kill;
  if (text == "segv") return FaultAction::segv;
  if (text == "abort") return FaultAction::abort;
  if (text == "exit") return FaultAction::exit;
  if (text == "throw") return FaultAction::throw_error;
  if (text == "hang") return FaultAction::hang;
  return std::nullopt;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

[[noreturn]] void hang_forever() {
  while (true) pause();
}

}  // namespace

std::optional<WorkerFault> WorkerFault::parse(std::string_view text) {
  WorkerFault fault;
  fault.armed_ = true;
  bool has_stage = false, has_action = false;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view field = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto equals = field.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string_view key = field.substr(0, equals), value = field.substr(equals + 1);
    if (key == "stage") {
      const auto stage = parse_stage(value);
      if (!stage) return std::nullopt;
      fault.stage_ = *stage;
      has_stage = true;
    } else if (key == "action") {
      const auto action = parse_action(value);
      if (!action) return std::nullopt;
      fault.action_ = *action;
      has_action = true;
    } else if (const auto number = parse_number(value); number && key == "worker") {
      fault.worker_ = static_cast<int>(*number);
    } else if (number && key == "task") {
      fault.task_ = *number;
    } else if (number && key == "times") {
      fault.times_ = static_cast<int>(*number);
    } else {
      return std::nullopt;
    }
  }
  if (!has_stage || !has_action) return std::nullopt;
  return fault;
}

WorkerFault WorkerFault::from_environment(int worker_slot, std::atomic<int>* fired) {
  const char* text = std::getenv("PBLUR_WORKER_FAULT");
  if (!text) return WorkerFault();
  auto fault = parse(text);
  if (!fault) return WorkerFault();
  fault->slot_ = worker_slot;
  fault->fired_ = fired;
  return *fault;
}

void WorkerFault::at(FaultStage stage, std::optional<std::uint64_t> task) {
  if (!armed_ || stage != stage_) return;
  if (worker_ && *worker_ != slot_) return;
  if (task_ && task != task_) return;
  if (fired_->fetch_add(1) >= times_) return;
  switch (action_) {
    case FaultAction::kill: raise(SIGKILL); break;
    case FaultAction::segv: raise(SIGSEGV); break;
    case FaultAction::abort: std::abort();
    case FaultAction::exit: _exit(3);
    case FaultAction::throw_error: throw std::runtime_error("injected worker fault");
    case FaultAction::hang: hang_forever();
  }
}

}  // namespace pblur
