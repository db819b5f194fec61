#include "cli/image_progress.h"

#include <unistd.h>

#include <cstdio>

#include "cli/cli_support.h"
#include "cli/progress.h"

namespace pblur::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kShowAfter = std::chrono::seconds(1);
constexpr auto kRedrawInterval = std::chrono::milliseconds(250);
constexpr const char* kEraseLine = "\r\033[K";

double seconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace

std::string image_progress_line(const StreamProgress& progress, std::chrono::nanoseconds elapsed) {
  const double done = double(progress.rows_done);
  const double total = double(progress.rows);
  const double rate =
      seconds(elapsed) > 0 ? done * double(progress.row_bytes) / 1e6 / seconds(elapsed) : 0.0;
  char text[128];
  std::snprintf(text, sizeof text, "pblur: %d/%d rows (%d%%), %.1f MB/s, ", progress.rows_done,
                progress.rows, total > 0 ? int(100 * done / total) : 100, rate);
  const auto left =
      done > 0
          ? std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed * ((total - done) / done))
          : std::chrono::nanoseconds(0);
  return text + format_clock(left) + " left";
}

ImageProgress::ImageProgress(bool quiet)
    : shown_(!quiet && isatty(STDERR_FILENO)), start_(Clock::now()) {}

ImageProgress::~ImageProgress() {
  close();
}

std::function<void(const StreamProgress&)> ImageProgress::callback() {
  if (!shown_) return {};
  return [this](const StreamProgress& progress) { update(progress); };
}

void ImageProgress::update(const StreamProgress& progress) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  if (closed_ || now - start_ < kShowAfter) return;
  if (drawn_ && now - last_draw_ < kRedrawInterval && progress.rows_done < progress.rows) return;
  messages() << kEraseLine << image_progress_line(progress, now - start_) << std::flush;
  drawn_ = true;
  last_draw_ = now;
}

void ImageProgress::close() {
  std::lock_guard lock(mutex_);
  if (drawn_ && !closed_) messages() << kEraseLine << std::flush;
  closed_ = true;
}

}  // namespace pblur::cli
