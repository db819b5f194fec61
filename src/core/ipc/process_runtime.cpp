#include "core/ipc/process_runtime.h"

#include <stdexcept>
#include <string>

#include "core/os/machine_info.h"

namespace pblur {

void require_single_thread() {
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer runs a background thread of its own from the start.
  constexpr int kOwnThreads = 2;
#else
  constexpr int kOwnThreads = 1;
#endif
  const int threads = thread_count();
  if (threads > kOwnThreads) {
    throw std::logic_error(
        "the process runtime must be made before any other thread starts, but "
        "this process has " +
        std::to_string(threads) + " threads");
  }
}

}  // namespace pblur
