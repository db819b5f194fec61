#include "band_texture.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace bench_image {
namespace {

// Rows rendered at once: bounds the float buffers to a few times width x kChunkRows.
constexpr int kChunkRows = 32;
// The upscaled photograph is kept to about this many pixels, however large the output.
constexpr double kMaxPhotoPixels = 16e6;
constexpr float kGrainSigma = 3.5f;

std::uint64_t mix(std::uint64_t z) {  // splitmix64's finaliser
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t streamKey(std::uint64_t seed, std::uint64_t stream) {
  return mix(mix(seed) ^ stream);
}

// A standard normal value, by Box-Muller from the two halves of one hash.
float hashedNormal(std::uint64_t hash) {
  const double u1 = (static_cast<double>(hash >> 32) + 0.5) / 4294967296.0;
  const double u2 = static_cast<double>(hash & 0xffffffffULL) / 4294967296.0;
  return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
}

// Nearly normal grain, cheaply: the sum of four 16-bit uniforms, centred and scaled to unit spread.
float hashedGrain(std::uint64_t hash) {
  const auto part = [hash](int i) { return static_cast<float>((hash >> (16 * i)) & 0xffffU); };
  const float sum = (part(0) + part(1) + part(2) + part(3)) / 65536.0f;
  return (sum - 2.0f) * std::numbers::sqrt3_v<float>;
}

struct CubicTaps {
  std::int64_t first;  // the grid index of the first of four taps
  float weights[4];
};

// OpenCV's bicubic interpolation (a = -0.75) at pixel `x` of a grid with one node per `cell`.
CubicTaps cubicTaps(std::int64_t x, int cell) {
  const double u = (static_cast<double>(x) + 0.5) / cell - 0.5;
  const double node = std::floor(u);
  const float t = static_cast<float>(u - node);
  constexpr float a = -0.75f;
  CubicTaps taps{static_cast<std::int64_t>(node) - 1, {}};
  taps.weights[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
  taps.weights[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
  taps.weights[2] = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
  taps.weights[3] = 1.0f - taps.weights[0] - taps.weights[1] - taps.weights[2];
  return taps;
}

int mirrored(std::int64_t index, int size) {  // cv::BORDER_REFLECT, for any non-negative index
  const std::int64_t m = index % (2 * static_cast<std::int64_t>(size));
  return static_cast<int>(m < size ? m : 2 * size - 1 - m);
}

cv::Mat upscaledPhoto(const cv::Mat& photo, cv::Size size) {
  const double twoCopies =
      std::max(size.width / (2.0 * photo.cols), size.height / (2.0 * photo.rows));
  const double cap = std::sqrt(kMaxPhotoPixels / static_cast<double>(photo.total()));
  const double scale = std::max(1.0, std::min(twoCopies, cap));
  cv::Mat upscaled;
  cv::resize(photo, upscaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
  return upscaled;
}

}  // namespace

NoiseOctave::NoiseOctave(int width, int cell, float amplitude, std::uint64_t key)
    : width_(width), cell_(cell), amplitude_(amplitude), key_(key) {
  firstCell_.reserve(static_cast<std::size_t>(width));
  weights_.reserve(4 * static_cast<std::size_t>(width));
  for (int x = 0; x < width; ++x) {
    const CubicTaps taps = cubicTaps(x, cell);
    firstCell_.push_back(taps.first);
    weights_.insert(weights_.end(), std::begin(taps.weights), std::end(taps.weights));
  }
}

void NoiseOctave::interpolateGridRow(std::int64_t gridY, float* out) const {
  const std::int64_t firstX = firstCell_.front();
  const std::int64_t lastX = firstCell_.back() + 3;
  std::vector<float> nodes(static_cast<std::size_t>(lastX - firstX + 1));
  const std::uint64_t rowKey = mix(key_ ^ static_cast<std::uint64_t>(gridY));
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    nodes[i] = hashedNormal(
        mix(rowKey ^ static_cast<std::uint64_t>(firstX + static_cast<std::int64_t>(i))));
  }
  for (int x = 0; x < width_; ++x) {
    const float* node = nodes.data() + (firstCell_[static_cast<std::size_t>(x)] - firstX);
    const float* w = weights_.data() + 4 * static_cast<std::size_t>(x);
    out[x] = w[0] * node[0] + w[1] * node[1] + w[2] * node[2] + w[3] * node[3];
  }
}

void NoiseOctave::addTo(float* out, int y0, int rows) const {
  const std::int64_t firstGridY = cubicTaps(y0, cell_).first;
  const std::int64_t lastGridY = cubicTaps(y0 + rows - 1, cell_).first + 3;
  const auto width = static_cast<std::size_t>(width_);
  std::vector<float> gridRows(static_cast<std::size_t>(lastGridY - firstGridY + 1) * width);
  for (std::int64_t g = firstGridY; g <= lastGridY; ++g) {
    interpolateGridRow(g, gridRows.data() + static_cast<std::size_t>(g - firstGridY) * width);
  }
  for (int r = 0; r < rows; ++r) {
    const CubicTaps taps = cubicTaps(y0 + r, cell_);
    const float* g0 = gridRows.data() + static_cast<std::size_t>(taps.first - firstGridY) * width;
    const float* g1 = g0 + width;
    const float* g2 = g1 + width;
    const float* g3 = g2 + width;
    float* row = out + static_cast<std::size_t>(r) * width;
    float w[4];
    for (int k = 0; k < 4; ++k) {
      w[k] = amplitude_ * taps.weights[k];
    }
    for (std::size_t x = 0; x < width; ++x) {
      row[x] += w[0] * g0[x] + w[1] * g1[x] + w[2] * g2[x] + w[3] * g3[x];
    }
  }
}

BandTexture::BandTexture(cv::Size size, int channels, std::uint64_t seed, const cv::Mat& photo)
    : size_(size), channels_(channels), seed_(seed) {
  const bool hasPhoto = !photo.empty();
  if (hasPhoto) {
    photo_ = upscaledPhoto(photo, size);
    offsetX_ = static_cast<int>(streamKey(seed, 0x400) % static_cast<std::uint64_t>(photo_.cols));
    offsetY_ = static_cast<int>(streamKey(seed, 0x401) % static_cast<std::uint64_t>(photo_.rows));
    photoColumns_.reserve(static_cast<std::size_t>(size.width));
    for (int x = 0; x < size.width; ++x) {
      photoColumns_.push_back(mirrored(static_cast<std::int64_t>(x) + offsetX_, photo_.cols));
    }
  }
  // The recipe of the whole-image path: photographs already have large structure, so noise
  // alone gets stronger low octaves and drift.
  const float low = hasPhoto ? 10.0f : 45.0f;
  const float drift = hasPhoto ? 8.0f : 40.0f;
  const int cells[] = {512, 128, 32, 8, 3};
  const float amplitudes[] = {low, 0.7f * low, 6.0f, 4.0f, 3.0f};
  for (std::uint64_t i = 0; i < 5; ++i) {
    luma_.emplace_back(size.width, cells[i], amplitudes[i], streamKey(seed, 0x100 + i));
  }
  for (int c = 0; c < channels; ++c) {
    drift_.emplace_back(size.width, 1024, drift,
                        streamKey(seed, 0x200 + static_cast<std::uint64_t>(c)));
  }
}

// Row y of the mirror-tiled photograph, one value per pixel of channel `channel`; or flat grey.
void BandTexture::baseRow(int y, int channel, float* out) const {
  if (photo_.empty()) {
    std::fill(out, out + size_.width, 128.0f);
    return;
  }
  const std::uint8_t* row =
      photo_.ptr<std::uint8_t>(mirrored(static_cast<std::int64_t>(y) + offsetY_, photo_.rows));
  for (std::size_t x = 0; x < photoColumns_.size(); ++x) {
    out[x] = row[photoColumns_[x] * channels_ + channel];
  }
}

void BandTexture::render(int y0, int rows, std::uint8_t* out) const {
  const std::size_t rowBytes =
      static_cast<std::size_t>(size_.width) * static_cast<std::size_t>(channels_);
  for (int done = 0; done < rows; done += kChunkRows) {
    renderChunk(y0 + done, std::min(kChunkRows, rows - done),
                out + static_cast<std::size_t>(done) * rowBytes);
  }
}

void BandTexture::renderChunk(int y0, int rows, std::uint8_t* out) const {
  const auto width = static_cast<std::size_t>(size_.width);
  const std::size_t count = width * static_cast<std::size_t>(rows);
  std::vector<float> luma(count, 0.0f);
  for (const NoiseOctave& octave : luma_) {
    octave.addTo(luma.data(), y0, rows);
  }
  const std::uint64_t grainKey = streamKey(seed_, 0x300);
  std::vector<float> value(count);
  std::vector<float> base(width);
  for (int c = 0; c < channels_; ++c) {
    std::copy(luma.begin(), luma.end(), value.begin());
    drift_[static_cast<std::size_t>(c)].addTo(value.data(), y0, rows);
    for (int r = 0; r < rows; ++r) {
      const int y = y0 + r;
      const std::uint64_t rowKey =
          mix(grainKey ^ (static_cast<std::uint64_t>(y) * 4 + static_cast<std::uint64_t>(c)));
      const float* in = value.data() + static_cast<std::size_t>(r) * width;
      baseRow(y, c, base.data());
      std::uint8_t* row =
          out + static_cast<std::size_t>(r) * width * static_cast<std::size_t>(channels_);
      for (int x = 0; x < size_.width; ++x) {
        const float grain = kGrainSigma * hashedGrain(mix(rowKey ^ static_cast<std::uint64_t>(x)));
        const float v = base[static_cast<std::size_t>(x)] + in[x] + grain;
        row[x * channels_ + c] = static_cast<std::uint8_t>(std::clamp(std::lrint(v), 0L, 255L));
      }
    }
  }
}

}  // namespace bench_image
