// Linked only into pblur_with_fault_hook, the test build of the pblur binary: the fault plan in
// the environment variable PBLUR_WORKER_FAULT (see FaultPlan) is injected into every pool the
// program makes. The released pblur has no such hook and ignores the variable.
#include <cstdlib>

#include "core/ipc/worker_fault.h"

namespace {

const bool fault_plan_installed = [] {
  if (const char* text = std::getenv("PBLUR_WORKER_FAULT")) {
    pblur::set_default_fault_plan(pblur::parse_fault_plan(text));
  }
  return true;
}();

}  // namespace
