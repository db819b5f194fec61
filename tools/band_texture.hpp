// The photo-like texture of make_benchmark_image, made a band of rows at a time for images too
// large to hold in memory.
//
// Every pixel is a function of (seed, x, y, channel) alone: the smooth noise octaves are bicubic
// interpolations of a grid of hashed normal values, the grain is a hash of the pixel, and the
// photograph is mirror-tiled by index. So any band, in any order and of any height, gives the
// same bytes, and memory is about the width times a few dozen float rows.
#pragma once

#include "opencv.hpp"

#include <cstdint>
#include <vector>

namespace bench_image {

// One octave of smooth noise: features about `cell` pixels apart, scaled by `amplitude`.
class NoiseOctave {
 public:
  NoiseOctave(int width, int cell, float amplitude, std::uint64_t key);

  // Adds the octave's values for rows [y0, y0 + rows) to `out` (rows x width floats).
  void addTo(float* out, int y0, int rows) const;

 private:
  void interpolateGridRow(std::int64_t gridY, float* out) const;

  int width_;
  int cell_;
  float amplitude_;
  std::uint64_t key_;
  std::vector<std::int64_t> firstCell_;  // per column: the grid column of its first tap
  std::vector<float> weights_;           // per column: four cubic weights
};

class BandTexture {
 public:
  // `photo` (8-bit, with `channels` channels) may be empty: the image is then noise on grey.
  BandTexture(cv::Size size, int channels, std::uint64_t seed, const cv::Mat& photo);

  // Writes rows [y0, y0 + rows) into `out`, interleaved, width * channels bytes per row.
  void render(int y0, int rows, std::uint8_t* out) const;

  int channels() const { return channels_; }

 private:
  void renderChunk(int y0, int rows, std::uint8_t* out) const;
  void baseRow(int y, int channel, float* out) const;

  cv::Size size_;
  int channels_;
  std::uint64_t seed_;
  cv::Mat photo_;  // the upscaled photograph, or empty
  int offsetX_ = 0;
  int offsetY_ = 0;
  std::vector<int> photoColumns_;  // per output column: the photograph's column
  std::vector<NoiseOctave> luma_;
  std::vector<NoiseOctave> drift_;  // one per channel
};

}  // namespace bench_image
