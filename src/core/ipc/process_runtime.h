#pragma once

#include <cstddef>

#include "core/ipc/fork_server.h"
#include "core/ipc/shared_arena.h"

namespace pblur {

// Throws std::logic_error if this process has a thread besides the calling one: the fork server
// would inherit it, and a worker forked later could deadlock on a lock that thread held.
void require_single_thread();

// What the process backend needs from the very start of the program: shared memory that every
// worker will map, and the fork server that makes the workers. Made while this process has any
// other thread, it throws std::logic_error (require_single_thread) before it starts anything.
// The arena reserves address space only: memory is committed block by block as images need it,
// and under an address-space limit the reservation shrinks to fit
// (SharedArena::reservation_within_limits).
struct ProcessRuntime {
  static constexpr std::size_t kDefaultReservedBytes = std::size_t{64} << 30;

  explicit ProcessRuntime(std::size_t reserved_bytes = kDefaultReservedBytes)
      : arena((require_single_thread(), SharedArena::reservation_within_limits(reserved_bytes))) {}

  SharedArena arena;
  ForkServer server;
};

}  // namespace pblur
