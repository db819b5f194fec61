#pragma once

#include <cstdio>
#include <memory>
#include <span>
#include <vector>

#include "core/image/row_codec.h"

namespace pblur {

class TiffHandle;

// Whether `signature` (a file's first bytes) starts a TIFF or a BigTIFF, either byte order.
bool is_tiff(std::span<const std::byte> signature);

// The first image of a TIFF or BigTIFF, stored in strips or tiles with any compression libtiff
// decodes, read through libtiff one band at a time (a strip, or a row of tiles) as OpenCV 4.6's
// imread(IMREAD_UNCHANGED) reads it:
// - 8 bits: through libtiff's RGBA interface as OpenCV does, so gray (black or white is zero)
//   gives gray, RGB gives BGR, RGB with a fourth sample BGRA (an alpha marked unassociated
//   comes out premultiplied, as libtiff hands it to OpenCV), a palette BGR; contiguous or
//   planar strips alike.
// - 16 bits: gray, RGB or RGBA samples as stored, contiguous only.
// Anything else (other depths, signed or float samples, other photometric interpretations, an
// Orientation tag other than top-left, planar tiles, 16-bit planar strips) is refused on
// construction with a CodecError whose reason starts "unsupported TIFF layout", for the caller to
// hand the file to OpenCV. A TIFF stored as one strip is decoded whole (stream_blocker() says so).
class TiffReader final : public RowReader {
 public:
  // Reads from `file`, which must stay open while the reader lives.
  explicit TiffReader(std::FILE* file);
  // Reads from `bytes`, which must outlive the reader.
  explicit TiffReader(std::span<const std::byte> bytes);
  ~TiffReader() override;
  TiffReader(const TiffReader&) = delete;
  TiffReader& operator=(const TiffReader&) = delete;

  const RowLayout& layout() const override { return layout_; }
  std::string stream_blocker() const override;
  const ImageMetadata& metadata() const override { return metadata_; }
  void read_rows(std::byte* dst, std::size_t stride, int count) override;
  int rows_read() const override { return rows_read_; }

 private:
  struct Band;
  void read_header();
  void read_band();

  std::unique_ptr<TiffHandle> handle_;
  std::unique_ptr<Band> band_;
  RowLayout layout_;
  ImageMetadata metadata_;
  int rows_read_ = 0;
};

}  // namespace pblur
