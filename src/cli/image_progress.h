#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "core/backends/stream_stats.h"

namespace pblur::cli {

// One line on stderr for a single image: rows done, MB/s of decoded pixels and the time left,
// e.g. "pblur: 1216/4000 rows (30%), 85.3 MB/s, 0:03 left".
std::string image_progress_line(const StreamProgress& progress, std::chrono::nanoseconds elapsed);

// The progress of one streamed image on a terminal: once the image has taken a second, the line
// above, redrawn in place at most four times a second, and erased when the image is done (or
// fails), so what is printed next starts on a clean line. Shows nothing when stderr is not a
// terminal or with -q.
class ImageProgress {
 public:
  explicit ImageProgress(bool quiet);
  ~ImageProgress();
  ImageProgress(const ImageProgress&) = delete;
  ImageProgress& operator=(const ImageProgress&) = delete;

  // What the streamed run calls after each strip (StreamOptions::on_rows); empty when nothing
  // is to be shown.
  std::function<void(const StreamProgress&)> callback();

  // Erases the line if one was drawn; nothing is drawn after this.
  void close();

 private:
  void update(const StreamProgress& progress);

  bool shown_;
  bool drawn_ = false;
  bool closed_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex mutex_;
};

}  // namespace pblur::cli
