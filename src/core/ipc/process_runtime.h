#pragma once

#include <cstddef>

#include "core/ipc/fork_server.h"
#include "core/ipc/shared_arena.h"

namespace pblur {

// What the process backend needs from the very start of the program: shared memory that every
// worker will map, and the fork server that makes the workers. Create it before any thread
// exists, first thing in main(), in this order. The arena reserves address space only: memory is
// committed block by block as images need it, and under an address-space limit the reservation
// shrinks to fit (SharedArena::reservation_within_limits).
struct ProcessRuntime {
  static constexpr std::size_t kDefaultReservedBytes = std::size_t{64} << 30;

  explicit ProcessRuntime(std::size_t reserved_bytes = kDefaultReservedBytes)
      : arena(SharedArena::reservation_within_limits(reserved_bytes)) {}

  SharedArena arena;
  ForkServer server;
};

}  // namespace pblur
