#pragma once

#include <opencv2/core.hpp>

namespace pblur {

// Pillow's extended box blur (BoxBlur.c): `passes` horizontal passes, then `passes` vertical
// ones, each the mean of 2 * int(radius) + 1 pixels plus the fractional part of the two pixels
// beyond them, edges repeated, in Pillow's fixed point (weights in 1/2^24ths, rounded to the
// image's depth after every pass). Its cost does not depend on the radius. A radius of 0 copies.
// 16-bit images (Pillow refuses them) get the same arithmetic in 64 bits.
void pil_box_blur(const cv::Mat& src, cv::Mat& dst, float radius, int passes);

// Pillow's ImageFilter.GaussianBlur(radius): 3 passes of the box radius that gives a Gaussian of
// standard deviation `radius` (Pillow's _gaussian_blur_radius, in its float arithmetic).
void pil_gaussian_blur(const cv::Mat& src, cv::Mat& dst, float radius);
float pil_gaussian_box_radius(float radius, int passes);

// Pillow's ImageFilter.UnsharpMask (UnsharpMask.c): where |src - blurred| > threshold,
// src + (src - blurred) * percent / 100 (integers, truncated) clamped; else src.
void pil_unsharp_mask(const cv::Mat& src, cv::Mat& dst, float radius, int percent, int threshold);

// Rows above and below a pixel that pil_box_blur reads.
int pil_box_blur_reach(float radius, int passes);

inline constexpr int kPilGaussianPasses = 3;

}  // namespace pblur
