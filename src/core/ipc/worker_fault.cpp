#include "core/ipc/worker_fault.h"

#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <stdexcept>

#include "core/base/enum_names.h"

namespace pblur {
namespace {

constexpr auto kStageNames = enum_names<FaultStage>({
    {FaultStage::waiting_for_task, "waiting_for_task"},
    {FaultStage::holding_queue_lock, "holding_queue_lock"},
    {FaultStage::took_task, "took_task"},
    {FaultStage::running_task, "running_task"},
    {FaultStage::sending_result, "sending_result"},
});

constexpr auto kActionNames = enum_names<FaultAction>({
    {FaultAction::kill, "kill"},
    {FaultAction::segv, "segv"},
    {FaultAction::abort, "abort"},
    {FaultAction::exit, "exit"},
    {FaultAction::throw_error, "throw"},
    {FaultAction::hang, "hang"},
});

std::optional<std::int64_t> parse_number(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

bool apply_field(std::string_view key, std::string_view value, FaultPlan& plan) {
  if (key == "stage") {
    const auto stage = kStageNames.from_name(value);
    if (stage) plan.stage = *stage;
    return stage.has_value();
  }
  if (key == "action") {
    const auto action = kActionNames.from_name(value);
    if (action) plan.action = *action;
    return action.has_value();
  }
  const auto number = parse_number(value);
  if (!number) return false;
  if (key == "worker")
    plan.worker = *number;
  else if (key == "task")
    plan.task = *number;
  else if (key == "times")
    plan.times = static_cast<int>(*number);
  else
    return false;
  return true;
}

}  // namespace

std::optional<FaultPlan> parse_fault_plan(std::string_view text) {
  FaultPlan plan;
  bool has_stage = false, has_action = false;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view field = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto equals = field.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string_view key = field.substr(0, equals);
    if (!apply_field(key, field.substr(equals + 1), plan)) return std::nullopt;
    has_stage |= key == "stage";
    has_action |= key == "action";
  }
  if (!has_stage || !has_action) return std::nullopt;
  return plan;
}

namespace {
std::optional<FaultPlan> the_default_fault_plan;
}  // namespace

void set_default_fault_plan(std::optional<FaultPlan> plan) {
  the_default_fault_plan = plan;
}

std::optional<FaultPlan> default_fault_plan() {
  return the_default_fault_plan;
}

bool WorkerFault::fires_at(FaultStage stage, std::optional<std::uint64_t> task) {
  if (!plan_ || stage != plan_->stage) return false;
  if (plan_->worker >= 0 && plan_->worker != slot_) return false;
  if (plan_->task >= 0 && task != std::uint64_t(plan_->task)) return false;
  return fired_->fetch_add(1) < plan_->times;
}

void WorkerFault::at(FaultStage stage, std::optional<std::uint64_t> task) {
  if (fires_at(stage, task)) fail();
}

void WorkerFault::fail() const {
  switch (plan_->action) {
    case FaultAction::kill:
      raise(SIGKILL);
      break;
    case FaultAction::segv:
      raise(SIGSEGV);
      break;
    case FaultAction::abort:
      std::abort();
    case FaultAction::exit:
      _exit(3);
    case FaultAction::throw_error:
      throw std::runtime_error("injected worker fault");
    case FaultAction::hang:
      break;
  }
  while (true) pause();
}

}  // namespace pblur
