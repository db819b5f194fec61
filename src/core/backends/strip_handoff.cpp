#include "core/backends/strip_handoff.h"

#include "core/base/errors.h"

namespace pblur {

void StripHandoff::filtered(std::size_t index, std::string error) {
  {
    std::lock_guard lock(mutex_);
    if (!error.empty()) {
      errors_.resize(filtered_.size());
      errors_[index] = std::move(error);
    }
    filtered_[index] = true;
  }
  changed_.notify_all();
}

void StripHandoff::wait_filtered(std::size_t index) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return filtered_[index] || abandoned_.stop_requested(); });
  if (!filtered_[index]) throw Interrupted("streamed run abandoned");
  if (index < errors_.size() && !errors_[index].empty()) {
    throw ProcessingError(errors_[index]);
  }
}

void StripHandoff::abandon() {
  {
    std::lock_guard lock(mutex_);
    abandoned_.request_stop();
  }
  changed_.notify_all();
}

}  // namespace pblur
