#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>

namespace pblur {

// A small single-threaded process that forks worker processes on request.
//
// Only the forking thread survives fork(): a lock held by any other thread (oneTBB's, OpenCV's,
// the allocator's) stays locked forever in the child. Started before this process has any
// thread, the server never gets one, so a worker forked from it is safe however many threads
// this process has by then. Workers are the server's children; it reaps them and reports each
// exit here. Every process of the tree dies with its parent (PR_SET_PDEATHSIG), so nothing
// outlives this process, even if it is killed with SIGKILL.
class ForkServer {
 public:
  // Runs in the worker. Returning ends the worker with status 0.
  using Entry = void (*)(std::uintptr_t argument);

  ForkServer();
  ~ForkServer();
  ForkServer(const ForkServer&) = delete;
  ForkServer& operator=(const ForkServer&) = delete;

  // A new worker running entry(argument). `entry` and `argument` must mean the same in the
  // server as here: a function of this program, and data the server inherited or shared memory.
  pid_t spawn(Entry entry, std::uintptr_t argument);

  // The worker's wait status (as from waitpid) once it has exited and been reaped.
  std::optional<int> exit_status(pid_t worker);

  // Sends `signal` to a worker that has not been reported as exited. Safe from pid reuse.
  void signal(pid_t worker, int signal);

  // Stops tracking a worker whose exit has been seen.
  void forget(pid_t worker);

  pid_t server_pid() const { return server_pid_; }

 private:
  struct Tracked {
    int pidfd = -1;
    std::optional<int> status;
  };

  void receive_notices(bool wait_for_spawn_reply, pid_t* spawned);

  int socket_ = -1;
  pid_t server_pid_ = -1;
  std::map<pid_t, Tracked> workers_;
};

}  // namespace pblur
