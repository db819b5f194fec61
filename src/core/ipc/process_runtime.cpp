#include "core/ipc/process_runtime.h"

#include <stdexcept>
#include <string>

#include "core/os/machine_info.h"

namespace pblur {

void require_single_thread() {
  const int threads = thread_count();
  if (threads > 1) {
    throw std::logic_error(
        "the process runtime must be made before any other thread starts, but "
        "this process has " +
        std::to_string(threads) + " threads");
  }
}

}  // namespace pblur
