#include "core/backends/strip_handoff.h"

#include "core/base/errors.h"

namespace pblur {

void StripHandoff::decoded(std::size_t index) {
  {
    std::lock_guard lock(mutex_);
    ready_.store(index + 1);
  }
  decoded_changed_.notify_all();
}

bool StripHandoff::wait_decoded(std::size_t index) {
  std::unique_lock lock(mutex_);
  decoded_changed_.wait(lock, [&] { return is_decoded(index) || abandoned_.stop_requested(); });
  return is_decoded(index) && !abandoned_.stop_requested();
}

void StripHandoff::filtered(std::size_t index, std::string error) {
  {
    std::lock_guard lock(mutex_);
    if (!error.empty()) {
      errors_.resize(filtered_.size());
      errors_[index] = std::move(error);
    }
    filtered_[index] = true;
  }
  filtered_changed_.notify_all();
}

void StripHandoff::wait_filtered(std::size_t index) {
  std::unique_lock lock(mutex_);
  filtered_changed_.wait(lock, [&] { return filtered_[index] || abandoned_.stop_requested(); });
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
  decoded_changed_.notify_all();
  filtered_changed_.notify_all();
}

}  // namespace pblur
