#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>

#include "core/os/file_descriptor.h"

namespace pblur {

namespace fork_protocol {
struct Request;
struct Notice;
}  // namespace fork_protocol

// A small single-threaded process that forks worker processes on request.
//
// Only the forking thread survives fork(): a lock held by any other thread (oneTBB's, OpenCV's,
// the allocator's) stays locked forever in the child. Started before this process has any
// thread, the server never gets one, so a worker forked from it is safe however many threads
// this process has by then. Workers are the server's children: it reaps them, reports each exit
// here, and signals them on request, so neither pidfds nor a descriptor per worker are needed
// and a pid is never signalled after it was reaped. Every process of the tree dies with its
// parent (PR_SET_PDEATHSIG), so nothing outlives this process, even if it is killed with
// SIGKILL; the server and the workers ignore SIGINT, SIGTERM and SIGHUP, which a process group
// receives all at once: this process decides what they mean and ends its helpers itself.
class ForkServer {
 public:
  // Runs in the worker. Returning ends the worker with status 0.
  using Entry = void (*)(std::uintptr_t argument);

  ForkServer();
  ~ForkServer();  // ends the server, which kills and reaps the workers it still has
  ForkServer(const ForkServer&) = delete;
  ForkServer& operator=(const ForkServer&) = delete;

  // A new worker running entry(argument). `entry` and `argument` must mean the same in the
  // server as here: a function of this program, and data the server inherited or shared memory.
  pid_t spawn(Entry entry, std::uintptr_t argument);

  // The worker's wait status (as from waitpid) once it has exited and been reaped.
  std::optional<int> exit_status(pid_t worker);

  // exit_status(), waiting up to `limit` for the worker to exit.
  std::optional<int> wait_for_exit(pid_t worker, std::chrono::milliseconds limit);

  // Has the server send `signal` to a worker it has not reaped yet, and returns once it has.
  // Safe from pid reuse.
  void signal(pid_t worker, int signal);

  // Stops tracking a worker whose exit has been seen.
  void forget(pid_t worker);

  pid_t server_pid() const { return server_pid_; }

 private:
  // Sends a request and waits (bounded) for the server's answer.
  fork_protocol::Notice ask(const fork_protocol::Request& request);
  // Takes the server's notices, waiting up to `wait` for the first; returns after an answer to
  // a request, stored in `reply`.
  void receive_notices(std::chrono::milliseconds wait, std::optional<fork_protocol::Notice>* reply);
  void end_server() noexcept;

  FileDescriptor socket_;
  pid_t server_pid_ = -1;
  std::map<pid_t, std::optional<int>> workers_;  // pid -> wait status once reaped
};

}  // namespace pblur
