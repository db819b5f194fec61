#include "core/filters/pixel_mode_rows.h"

#include <cstdint>

#include "core/filters/alpha_mode.h"
#include "core/filters/filters.h"
#include "core/filters/linear_light.h"

namespace pblur {
namespace {

// Gray and BGR are colour throughout; BGRA's fourth channel is alpha.
int colour_channels(int channels) {
  return channels == 4 ? 3 : channels;
}

std::uint16_t to_working_sample(std::uint8_t sample, bool curve) {
  return curve ? srgb8_to_linear16(sample) : std::uint16_t(sample * 257);
}

std::uint16_t to_working_sample(std::uint16_t sample, bool curve) {
  return curve ? srgb16_to_linear16(sample) : sample;
}

template <class Sample>
Sample from_working_sample(std::uint16_t sample, bool curve) {
  if constexpr (sizeof(Sample) == 1) {
    return curve ? linear16_to_srgb8(sample) : Sample((sample + 128) / 257);
  } else {
    return curve ? linear16_to_srgb16(sample) : sample;
  }
}

template <class Sample>
cv::Mat to_working(const cv::Mat& image, bool linear) {
  const int channels = image.channels();
  const int colour = colour_channels(channels);
  cv::Mat work(image.rows, image.cols, CV_16UC(channels));
  for (int y = 0; y < image.rows; ++y) {
    const Sample* in = image.ptr<Sample>(y);
    auto* out = work.ptr<std::uint16_t>(y);
    for (int i = 0; i < image.cols * channels; ++i) {
      out[i] = to_working_sample(in[i], linear && i % channels < colour);
    }
  }
  return work;
}

template <class Sample>
void from_working(const cv::Mat& work, bool linear, cv::Mat& out) {
  const int channels = work.channels();
  const int colour = colour_channels(channels);
  out.create(work.rows, work.cols, CV_MAKETYPE(cv::DataType<Sample>::depth, channels));
  for (int y = 0; y < work.rows; ++y) {
    const auto* in = work.ptr<std::uint16_t>(y);
    Sample* to = out.ptr<Sample>(y);
    for (int i = 0; i < work.cols * channels; ++i) {
      to[i] = from_working_sample<Sample>(in[i], linear && i % channels < colour);
    }
  }
}

// Replaces `straight`'s colour with the blurred premultiplied colour divided by its alpha,
// wherever that alpha is below full.
template <class Sample>
void restore_colour(const cv::Mat& premultiplied, bool linear, cv::Mat& straight) {
  for (int y = 0; y < straight.rows; ++y) {
    const auto* blurred = premultiplied.ptr<cv::Vec4w>(y);
    Sample* out = straight.ptr<Sample>(y);
    for (int x = 0; x < straight.cols; ++x) {
      const std::uint32_t alpha = blurred[x][3];
      if (alpha == 65535) continue;
      for (int c = 0; c < 3; ++c) {
        const std::uint16_t colour = alpha == 0 ? 0 : unpremultiply(blurred[x][c], alpha);
        out[4 * x + c] = from_working_sample<Sample>(colour, linear);
      }
    }
  }
}

template <class Sample>
void filter_rows_in_space(bool linear, bool premultiplied, const FilterSpec& spec,
                          const cv::Mat& window, int top, int image_rows, int first, int last,
                          cv::Mat& out) {
  FilterSpec pinned = spec;  // the kernel the image's own depth would get, at 16 bits
  pinned.ksize = effective_kernel_size(spec, window.depth());
  cv::Mat work = to_working<Sample>(window, linear);
  cv::Mat blurred;
  if (linear) {
    filter_rows(pinned, work, top, image_rows, first, last, blurred);
    from_working<Sample>(blurred, true, out);
  } else {
    filter_rows(spec, window, top, image_rows, first, last, out);
  }
  if (!premultiplied) return;
  premultiply(work);
  filter_rows(pinned, work, top, image_rows, first, last, blurred);
  restore_colour<Sample>(blurred, linear, out);
}

}  // namespace

void filter_rows_in_mode(const PixelMode& mode, const FilterSpec& spec, const cv::Mat& window,
                         int top, int image_rows, int first, int last, cv::Mat& out) {
  const bool changed = blurs_in_pixel_mode(spec.kind);
  const bool linear = changed && mode.linear;
  const bool premultiplied =
      changed && mode.alpha == AlphaMode::premultiplied && window.channels() == 4;
  if (!linear && !premultiplied) {
    filter_rows(spec, window, top, image_rows, first, last, out);
  } else if (window.depth() == CV_8U) {
    filter_rows_in_space<std::uint8_t>(linear, premultiplied, spec, window, top, image_rows, first,
                                       last, out);
  } else {
    filter_rows_in_space<std::uint16_t>(linear, premultiplied, spec, window, top, image_rows, first,
                                        last, out);
  }
}

}  // namespace pblur
