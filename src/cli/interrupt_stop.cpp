#include "cli/interrupt_stop.h"

#include <chrono>

#include "cli/cli_support.h"

namespace pblur::cli {
namespace {

// How often the watcher looks at the signal flag: well within the milliseconds a stop may take.
constexpr auto kWatchInterval = std::chrono::milliseconds(5);

}  // namespace

InterruptStop::InterruptStop() : watcher_([this](std::stop_token end) { watch(end); }) {
  stop_on_interrupt_signals();
}

// std::stop_source::request_stop is not async-signal-safe (it takes a lock to run the stop
// callbacks), so the signal handler only sets an atomic flag, and this thread turns the flag into
// request_stop. A thread rather than the loops that wait: they run in the core, which sees only
// the token; polling a lock-free atomic every few milliseconds costs nothing measurable.
void InterruptStop::watch(std::stop_token end) {
  std::unique_lock lock(mutex_);
  while (!end.stop_requested()) {
    if (stop_requested().load() || halt_.load()) {
      source_.request_stop();
      return;
    }
    tick_.wait_for(lock, end, kWatchInterval, [] { return false; });
  }
}

}  // namespace pblur::cli
