#pragma once

#include <atomic>
#include <chrono>

namespace pblur {

// Busy time of one pipeline stage, summed over every thread that runs it.
class StageClock {
 public:
  template <class Work>
  decltype(auto) time(Work&& work) {
    const auto start = std::chrono::steady_clock::now();
    struct Record {
      StageClock& clock;
      std::chrono::steady_clock::time_point start;
      ~Record() { clock.add(std::chrono::steady_clock::now() - start); }
    } record{*this, start};
    return work();
  }

  void add(std::chrono::nanoseconds busy) { busy_ns_ += busy.count(); }
  std::chrono::nanoseconds busy() const { return std::chrono::nanoseconds(busy_ns_.load()); }

 private:
  std::atomic<long long> busy_ns_{0};
};

}  // namespace pblur
