#pragma once

#include <cstring>
#include <string>

#include <opencv2/core.hpp>

#include "core/image/row_codec.h"
#include "core/image/whole_image.h"

namespace pblur::testing {

// A RowReader over an image in memory, so the streamed paths can be compared with the
// whole-image reference without a codec in between.
class MatRowReader : public RowReader {
 public:
  explicit MatRowReader(cv::Mat image) : image_(std::move(image)), layout_(layout_of(image_)) {}

  const RowLayout& layout() const override { return layout_; }
  std::string stream_blocker() const override { return {}; }
  const ImageMetadata& metadata() const override { return metadata_; }
  int rows_read() const override { return next_; }

  void read_rows(std::byte* dst, std::size_t stride, int count) override {
    if (count < 0 || next_ + count > image_.rows) throw CodecError("read past the last row");
    for (int i = 0; i < count; ++i, ++next_) {
      std::memcpy(dst + std::size_t(i) * stride, image_.ptr(next_), layout_.row_bytes());
    }
  }

 private:
  cv::Mat image_;
  RowLayout layout_;
  ImageMetadata metadata_;
  int next_ = 0;
};

// A RowWriter into an image in memory.
class MatRowWriter : public RowWriter {
 public:
  explicit MatRowWriter(const RowLayout& layout)
      : layout_(layout), image_(layout.height, layout.width, layout.cv_type()) {}

  const RowLayout& layout() const override { return layout_; }

  void write_rows(const std::byte* src, std::size_t stride, int count) override {
    if (count < 0 || next_ + count > image_.rows) throw CodecError("wrote past the last row");
    for (int i = 0; i < count; ++i, ++next_) {
      std::memcpy(image_.ptr(next_), src + std::size_t(i) * stride, layout_.row_bytes());
    }
  }

  void finish() override {
    if (next_ != image_.rows) throw CodecError("rows missing");
    finished_ = true;
  }

  const cv::Mat& image() const { return image_; }
  bool finished() const { return finished_; }

 private:
  RowLayout layout_;
  cv::Mat image_;
  int next_ = 0;
  bool finished_ = false;
};

}  // namespace pblur::testing
