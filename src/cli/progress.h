#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace pblur::cli {

// bar: one line redrawn in place (stderr is a terminal); lines: one line per finished file
// (stderr is a file or a pipe); quiet: failures only.
enum class ProgressStyle { bar, lines, quiet };

ProgressStyle progress_style(bool quiet);

// Progress of a batch on stderr: images done of the total, input MB/s, elapsed time and the time
// left (estimated from the input bytes still to do). Thread-safe.
class Progress {
 public:
  Progress(ProgressStyle style, std::size_t total_files, std::uint64_t total_bytes);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // A finished file: `name` its path below the input folder, `bytes` its input size; `detail`
  // says what happened ("1.2 MB -> 0.9 MB in 35 ms"), `failure` why it failed (empty if it did
  // not).
  void file_done(std::string_view name, std::uint64_t bytes, std::string_view detail,
                 std::string_view failure);

  // Draws the final state and ends the bar's line; nothing more is drawn after this.
  void close();

 private:
  void redraw_periodically(std::stop_token stop);
  void draw_bar_locked();
  std::string bar_line() const;

  ProgressStyle style_;
  std::size_t total_files_;
  std::uint64_t total_bytes_;
  std::size_t done_files_ = 0;
  std::uint64_t done_bytes_ = 0;
  std::chrono::steady_clock::time_point start_;
  bool closed_ = false;
  std::mutex mutex_;
  std::condition_variable_any tick_;
  std::jthread redraw_;
};

// "1.2 MB", "834 kB", "12 B"
std::string format_bytes(std::uint64_t bytes);

// "0:07", "12:34", "1:02:03"
std::string format_clock(std::chrono::nanoseconds duration);

}  // namespace pblur::cli
