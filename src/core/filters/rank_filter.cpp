#include "core/filters/rank_filter.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace pblur {
namespace {

// From this size on, 8-bit windows take the constant-time algorithm: below it, updating
// 2 x size bins per step (Huang's) costs less than adding and dropping 256-bin histograms.
constexpr int kConstantTimeRankSize = 61;

// A histogram that follows the value of one rank as values come and go, on two levels: counts
// per value and per block of values, so that the value can jump over blocks, empty or full,
// rather than walk them a value at a time (16-bit values lie far apart).
class RankTracker {
 public:
  RankTracker(int bins, int rank, int block_shift)
      : counts_(std::size_t(bins), 0),
        blocks_(std::size_t(bins >> block_shift), 0),
        rank_(rank),
        shift_(block_shift),
        block_mask_((1 << block_shift) - 1) {}

  void add(int value) {
    ++counts_[std::size_t(value)];
    ++blocks_[std::size_t(value >> shift_)];
    if (value < current_) ++below_;
  }
  void remove(int value) {
    --counts_[std::size_t(value)];
    --blocks_[std::size_t(value >> shift_)];
    if (value < current_) --below_;
  }
  // The value v with fewer than rank + 1 values below it and at least rank + 1 up to it.
  int value() {
    while (below_ > rank_) {
      if ((current_ & block_mask_) == 0 && below_ - block(current_ - 1) > rank_) {
        below_ -= block(current_ - 1);
        current_ -= block_mask_ + 1;
      } else {
        below_ -= counts_[std::size_t(--current_)];
      }
    }
    while (below_ + counts_[std::size_t(current_)] <= rank_) {
      if ((current_ & block_mask_) == 0 && below_ + block(current_) <= rank_) {
        below_ += block(current_);
        current_ += block_mask_ + 1;
      } else {
        below_ += counts_[std::size_t(current_++)];
      }
    }
    return current_;
  }
  void clear() {
    std::fill(counts_.begin(), counts_.end(), 0);
    std::fill(blocks_.begin(), blocks_.end(), 0);
    below_ = 0;
    current_ = 0;
  }

 private:
  int block(int value) const { return blocks_[std::size_t(value >> shift_)]; }

  std::vector<int> counts_;
  std::vector<int> blocks_;
  int rank_;
  int shift_;
  int block_mask_;
  int below_ = 0;  // values in the window smaller than current_
  int current_ = 0;
};

// One channel of one output row, from the padded image.
template <typename T>
void rank_row(const cv::Mat& padded, int y, int channel, int size, RankTracker& tracker,
              cv::Mat& dst) {
  const int channels = padded.channels();
  tracker.clear();
  for (int dy = 0; dy < size; ++dy) {
    const T* row = padded.ptr<T>(y + dy);
    for (int dx = 0; dx < size; ++dx) tracker.add(row[dx * channels + channel]);
  }
  T* out = dst.ptr<T>(y);
  out[channel] = T(tracker.value());
  for (int x = 1; x < dst.cols; ++x) {
    for (int dy = 0; dy < size; ++dy) {
      const T* row = padded.ptr<T>(y + dy);
      tracker.remove(row[(x - 1) * channels + channel]);
      tracker.add(row[(x + size - 1) * channels + channel]);
    }
    out[x * channels + channel] = T(tracker.value());
  }
}

template <typename T>
void rank_all(const cv::Mat& padded, int size, int rank, cv::Mat& dst) {
  RankTracker tracker(sizeof(T) == 1 ? 256 : 65536, rank, sizeof(T) == 1 ? 4 : 8);
  for (int y = 0; y < dst.rows; ++y) {
    for (int channel = 0; channel < dst.channels(); ++channel)
      rank_row<T>(padded, y, channel, size, tracker, dst);
  }
}

// Perreault and Hebert's constant-time median, for any rank: a 256-bin histogram per padded
// column and channel, kept for the rows of the current window, and the window's histogram,
// which adds the column entering and drops the column leaving at each step. A coarse 16-bin
// level finds the value's block of 16 without scanning all 256 bins.
class ColumnHistograms {
 public:
  ColumnHistograms(const cv::Mat& padded, int size)
      : padded_(padded),
        size_(size),
        width_(padded.cols * padded.channels()),
        fine_(std::size_t(width_) * 256, 0),
        coarse_(std::size_t(width_) * 16, 0) {
    for (int y = 0; y < size; ++y) add_row(y, +1);
  }
  // Moves every column's rows down by one: output row `y` - 1 to `y`.
  void slide_to(int y) {
    add_row(y - 1, -1);
    add_row(y + size_ - 1, +1);
  }
  const std::uint16_t* fine(int column) const { return &fine_[std::size_t(column) * 256]; }
  const std::uint16_t* coarse(int column) const { return &coarse_[std::size_t(column) * 16]; }

 private:
  void add_row(int y, int sign) {
    const uchar* row = padded_.ptr<uchar>(y);
    for (int i = 0; i < width_; ++i) {
      fine_[std::size_t(i) * 256 + row[i]] =
          std::uint16_t(fine_[std::size_t(i) * 256 + row[i]] + sign);
      coarse_[std::size_t(i) * 16 + row[i] / 16] =
          std::uint16_t(coarse_[std::size_t(i) * 16 + row[i] / 16] + sign);
    }
  }
  const cv::Mat& padded_;
  int size_;
  int width_;
  std::vector<std::uint16_t> fine_;
  std::vector<std::uint16_t> coarse_;
};

struct WindowHistogram {
  std::array<std::uint32_t, 256> fine{};
  std::array<std::uint32_t, 16> coarse{};

  void add(const ColumnHistograms& columns, int column, int sign) {
    const std::uint16_t* f = columns.fine(column);
    const std::uint16_t* c = columns.coarse(column);
    const std::uint32_t s = std::uint32_t(sign);  // -1 wraps: unsigned sums stay exact
    for (int i = 0; i < 256; ++i) fine[std::size_t(i)] += s * f[i];
    for (int i = 0; i < 16; ++i) coarse[std::size_t(i)] += s * c[i];
  }
  int value_of_rank(int rank) const {
    std::uint32_t below = 0;
    int block = 0;
    while (below + coarse[std::size_t(block)] <= std::uint32_t(rank))
      below += coarse[std::size_t(block++)];
    int value = block * 16;
    while (below + fine[std::size_t(value)] <= std::uint32_t(rank))
      below += fine[std::size_t(value++)];
    return value;
  }
};

void constant_time_rank(const cv::Mat& padded, int size, int rank, cv::Mat& dst) {
  const int channels = padded.channels();
  ColumnHistograms columns(padded, size);
  for (int y = 0; y < dst.rows; ++y) {
    if (y > 0) columns.slide_to(y);
    uchar* out = dst.ptr<uchar>(y);
    for (int c = 0; c < channels; ++c) {
      WindowHistogram window;
      for (int dx = 0; dx < size; ++dx) window.add(columns, dx * channels + c, +1);
      out[c] = uchar(window.value_of_rank(rank));
      for (int x = 1; x < dst.cols; ++x) {
        window.add(columns, (x + size - 1) * channels + c, +1);
        window.add(columns, (x - 1) * channels + c, -1);
        out[x * channels + c] = uchar(window.value_of_rank(rank));
      }
    }
  }
}

template <typename T>
T mode_at(const cv::Mat& window, int top, int image_rows, int half, int x, int y, int channel,
          std::vector<T>& values) {
  const int channels = window.channels();
  values.clear();
  for (int yy = std::max(0, y - half); yy <= std::min(image_rows - 1, y + half); ++yy) {
    const T* row = window.ptr<T>(yy - top);
    for (int xx = std::max(0, x - half); xx <= std::min(window.cols - 1, x + half); ++xx)
      values.push_back(row[xx * channels + channel]);
  }
  std::sort(values.begin(), values.end());
  T best = window.ptr<T>(y - top)[x * channels + channel];
  std::size_t best_count = 2;  // a value must occur more than twice
  for (std::size_t i = 0; i < values.size();) {
    std::size_t j = i;
    while (j < values.size() && values[j] == values[i]) ++j;
    if (j - i > best_count) {
      best_count = j - i;
      best = values[i];
    }
    i = j;
  }
  return best;
}

template <typename T>
void mode_rows(const cv::Mat& window, int top, int image_rows, int size, int first, int last,
               cv::Mat& out) {
  std::vector<T> values;
  const int channels = window.channels();
  for (int y = first; y < last; ++y) {
    T* target = out.ptr<T>(y - first);
    for (int x = 0; x < window.cols; ++x) {
      for (int c = 0; c < channels; ++c)
        target[x * channels + c] = mode_at<T>(window, top, image_rows, size / 2, x, y, c, values);
    }
  }
}

}  // namespace

void rank_filter(const cv::Mat& src, cv::Mat& dst, int size, int rank) {
  CV_Assert(src.depth() == CV_8U || src.depth() == CV_16U);
  CV_Assert(size % 2 == 1 && rank >= 0 && rank < size * size);
  const int half = size / 2;
  cv::Mat padded;
  cv::copyMakeBorder(src, padded, half, half, half, half, cv::BORDER_REPLICATE);
  dst.create(src.size(), src.type());
  if (src.depth() == CV_8U && size >= kConstantTimeRankSize) {
    constant_time_rank(padded, size, rank, dst);
  } else if (src.depth() == CV_8U) {
    rank_all<uchar>(padded, size, rank, dst);
  } else {
    rank_all<ushort>(padded, size, rank, dst);
  }
}

void pil_mode_rows(const cv::Mat& window, int top, int image_rows, int size, int first, int last,
                   cv::Mat& out) {
  CV_Assert(window.depth() == CV_8U || window.depth() == CV_16U);
  if (window.depth() == CV_8U) {
    mode_rows<uchar>(window, top, image_rows, size, first, last, out);
  } else {
    mode_rows<ushort>(window, top, image_rows, size, first, last, out);
  }
}

}  // namespace pblur
