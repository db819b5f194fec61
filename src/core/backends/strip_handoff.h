#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

namespace pblur {

// What the thread that runs the process pool and the threads that decode and encode tell each
// other in a streamed run: which strips are decoded (the pool may send them), which are
// filtered (they may be encoded), and whether either side gave up.
class StripHandoff {
 public:
  explicit StripHandoff(std::size_t strips) : filtered_(strips, false) {}

  void decoded(std::size_t index) { ready_.store(index + 1); }
  bool is_decoded(std::size_t index) const { return index < ready_.load(); }

  // From the pool's thread: the strip is filtered, or failed with `error` (its whole message).
  void filtered(std::size_t index, std::string error);

  // Blocks until strip `index` is filtered. Throws ProcessingError with the strip's failure,
  // Interrupted if the run was abandoned.
  void wait_filtered(std::size_t index);

  // Either side gave up: the other stops waiting.
  void abandon();
  std::stop_token abandoned() const { return abandoned_.get_token(); }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<bool> filtered_;
  std::vector<std::string> errors_;
  std::atomic<std::size_t> ready_{0};
  std::stop_source abandoned_;
};

}  // namespace pblur
