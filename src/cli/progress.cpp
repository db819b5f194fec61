#include "cli/progress.h"

#include "cli/cli_support.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace pblur::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kRedrawInterval = std::chrono::milliseconds(250);

int terminal_columns() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

void write_stderr(const std::string& text) {
  messages() << text << std::flush;
}

double seconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

std::string format_rate(std::uint64_t bytes, std::chrono::nanoseconds elapsed) {
  char text[32];
  const double rate = seconds(elapsed) > 0 ? double(bytes) / 1e6 / seconds(elapsed) : 0.0;
  std::snprintf(text, sizeof text, "%.1f MB/s", rate);
  return text;
}

}  // namespace

ProgressStyle progress_style(bool quiet) {
  if (quiet) return ProgressStyle::quiet;
  return isatty(STDERR_FILENO) ? ProgressStyle::bar : ProgressStyle::lines;
}

std::string format_bytes(std::uint64_t bytes) {
  char text[32];
  if (bytes >= 1000000) {
    std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
  } else if (bytes >= 1000) {
    std::snprintf(text, sizeof text, "%.0f kB", double(bytes) / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  }
  return text;
}

std::string format_clock(std::chrono::nanoseconds duration) {
  const auto total = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                  static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
  }
  return text;
}

Progress::Progress(ProgressStyle style, std::size_t total_files, std::uint64_t total_bytes)
    : style_(style), total_files_(total_files), total_bytes_(total_bytes), start_(Clock::now()) {
  if (style_ != ProgressStyle::bar) return;
  draw_bar_locked();
  redraw_ = std::jthread([this](std::stop_token stop) { redraw_periodically(stop); });
}

Progress::~Progress() {
  close();
}

void Progress::file_done(std::string_view name, std::uint64_t bytes, std::string_view detail,
                         std::string_view failure) {
  const std::string shown_name = printable(name), shown_failure = printable(failure);
  const std::lock_guard lock(mutex_);
  ++done_files_;
  done_bytes_ += bytes;
  if (closed_) return;
  const std::string count =
      "[" + std::to_string(done_files_) + "/" + std::to_string(total_files_) + "] ";
  switch (style_) {
    case ProgressStyle::bar:
      if (!failure.empty()) write_stderr("\r\x1b[Kpblur: error: " + shown_failure + "\n");
      draw_bar_locked();
      break;
    case ProgressStyle::lines:
      write_stderr("pblur: " + count + shown_name +
                   (failure.empty() ? ": " + std::string(detail) : ": failed: " + shown_failure) +
                   "\n");
      break;
    case ProgressStyle::quiet:
      if (!failure.empty()) write_stderr("pblur: error: " + shown_failure + "\n");
      break;
  }
}

void Progress::close() {
  {
    const std::lock_guard lock(mutex_);
    if (closed_) return;
    if (style_ == ProgressStyle::bar) {
      draw_bar_locked();
      write_stderr("\n");
    }
    closed_ = true;
  }
  if (redraw_.joinable()) {
    redraw_.request_stop();
    tick_.notify_all();
    redraw_.join();
  }
}

void Progress::redraw_periodically(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    tick_.wait_for(lock, stop, kRedrawInterval, [] { return false; });
    if (!closed_ && !stop.stop_requested()) draw_bar_locked();
  }
}

void Progress::draw_bar_locked() {
  write_stderr("\r" + bar_line() + "\x1b[K");
}

std::string Progress::bar_line() const {
  const auto elapsed = Clock::now() - start_;
  std::string eta = "--:--";
  if (done_bytes_ > 0 && total_bytes_ >= done_bytes_) {
    eta = format_clock(std::chrono::nanoseconds(static_cast<std::int64_t>(
        double(elapsed.count()) * double(total_bytes_ - done_bytes_) / double(done_bytes_))));
  } else if (done_files_ == total_files_) {
    eta = "0:00";
  }
  const std::string text = " " + std::to_string(done_files_) + "/" + std::to_string(total_files_) +
                           " images  " + format_rate(done_bytes_, elapsed) + "  " +
                           format_clock(elapsed) + " elapsed  ETA " + eta;
  const int columns = terminal_columns();
  const int width = std::clamp(columns - int(text.size()) - 3, 10, 50);
  const std::size_t filled =
      total_files_ == 0 ? std::size_t(width) : done_files_ * std::size_t(width) / total_files_;
  const std::string line =
      "[" + std::string(filled, '#') + std::string(std::size_t(width) - filled, '.') + "]" + text;
  return line.substr(0, std::size_t(std::max(columns - 1, 1)));  // a wrapped line cannot be redrawn
}

}  // namespace pblur::cli
