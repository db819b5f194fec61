#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

namespace pblur {

// What the threads of a streamed run tell each other: which strips are decoded (they may be
// filtered), which are filtered (they may be encoded), and whether any side gave up.
class StripHandoff {
 public:
  explicit StripHandoff(std::size_t strips) : filtered_(strips, false) {}

  // Strips are decoded in order: `index` and every strip before it.
  void decoded(std::size_t index);
  bool is_decoded(std::size_t index) const { return index < ready_.load(); }
  // Blocks until strip `index` is decoded (true) or the run is abandoned (false).
  bool wait_decoded(std::size_t index);

  // The strip is filtered, or failed with `error` (its whole message).
  void filtered(std::size_t index, std::string error);

  // Blocks until strip `index` is filtered. Throws ProcessingError with the strip's failure,
  // Interrupted if the run was abandoned.
  void wait_filtered(std::size_t index);

  // Any side gave up: the others stop waiting.
  void abandon();
  std::stop_token abandoned() const { return abandoned_.get_token(); }

 private:
  std::mutex mutex_;
  std::condition_variable decoded_changed_;
  std::condition_variable filtered_changed_;
  std::vector<bool> filtered_;
  std::vector<std::string> errors_;
  std::atomic<std::size_t> ready_{0};
  std::stop_source abandoned_;
};

}  // namespace pblur
