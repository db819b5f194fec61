#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace pblur::cli {

// The stop_source of a command that stops between files on SIGINT, SIGTERM or SIGHUP: installs
// stop_on_interrupt_signals() and requests a stop once one of them arrives. Make it after the
// ProcessRuntime: it starts a thread, which the fork server must not inherit.
class InterruptStop {
 public:
  InterruptStop();
  InterruptStop(const InterruptStop&) = delete;
  InterruptStop& operator=(const InterruptStop&) = delete;

  std::stop_token token() const { return source_.get_token(); }

  // Stops the command as a signal would, from any thread (a callback the core runs included:
  // the stop is requested from the watcher, never from inside the caller).
  void request_stop() { halt_.store(true); }

 private:
  void watch(std::stop_token end);

  std::stop_source source_;
  std::mutex mutex_;
  std::condition_variable_any tick_;
  std::atomic<bool> halt_{false};
  std::jthread watcher_;  // last: it uses the members above
};

}  // namespace pblur::cli
