#pragma once

#include <cstdio>
#include <memory>
#include <vector>

#include "core/image/row_codec.h"

namespace pblur {

class TiffHandle;

// Encodes 8- or 16-bit gray, BGR or BGRA rows through libtiff's scanline API with the settings
// OpenCV 4.6's imencode(".tif") uses, so the bytes equal its bytes: a classic TIFF of one
// image in strips of max(1, 8192 / row bytes) rows, LZW with the horizontal predictor,
// MINISBLACK or RGB with contiguous samples (a fourth sample without an ExtraSamples tag, as
// OpenCV writes it). Each strip is compressed as its rows arrive. Metadata that is set is
// written as tags (see set_tiff_metadata); OpenCV writes none. Writes to `file`, which must be
// seekable (libtiff writes the directory offset into the header last); the caller owns and closes
// it after finish().
class TiffWriter final : public RowWriter {
 public:
  TiffWriter(std::FILE* file, const RowLayout& layout, const ImageMetadata& metadata = {});
  ~TiffWriter() override;
  TiffWriter(const TiffWriter&) = delete;
  TiffWriter& operator=(const TiffWriter&) = delete;

  const RowLayout& layout() const override { return layout_; }
  void write_rows(const std::byte* src, std::size_t stride, int count) override;
  void finish() override;

 private:
  std::unique_ptr<TiffHandle> handle_;
  RowLayout layout_;
  std::vector<std::byte> row_;
  int rows_written_ = 0;
};

}  // namespace pblur
