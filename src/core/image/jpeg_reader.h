#pragma once

#include <cstdio>
#include <memory>
#include <span>

#include "core/image/row_codec.h"

namespace pblur {

// A JPEG decoded through libjpeg-turbo's scanline API with OpenCV 4.6's settings, so the rows
// are imread's pixels: BGR for colour (CMYK converted as OpenCV does), gray for gray, the
// default (integer) DCT. The header is read on construction (throws CodecError); the first
// read_rows starts the scan. Progressive JPEGs are decoded whole inside libjpeg before the
// first row comes out, and a JPEG whose EXIF orientation asks for a turn must be read whole:
// both say so in stream_blocker().
class JpegReader final : public RowReader {
 public:
  // Reads from `file`, which must stay open while the reader lives.
  explicit JpegReader(std::FILE* file);
  // Reads from `bytes`, which must outlive the reader.
  explicit JpegReader(std::span<const std::byte> bytes);
  ~JpegReader() override;
  JpegReader(const JpegReader&) = delete;
  JpegReader& operator=(const JpegReader&) = delete;

  const RowLayout& layout() const override { return layout_; }
  std::string stream_blocker() const override;
  int orientation() const override { return orientation_; }
  const ImageMetadata& metadata() const override { return metadata_; }
  std::optional<int> jpeg_quality() const override { return quality_; }
  void read_rows(std::byte* dst, std::size_t stride, int count) override;
  int rows_read() const override { return rows_read_; }

 private:
  struct Decoder;
  void read_header();
  void read_metadata();

  std::unique_ptr<Decoder> decoder_;
  RowLayout layout_;
  ImageMetadata metadata_;
  std::optional<int> quality_;
  int orientation_ = 1;
  bool progressive_ = false;
  int rows_read_ = 0;
};

}  // namespace pblur
