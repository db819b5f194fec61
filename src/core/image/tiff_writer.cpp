#include "core/image/tiff_writer.h"

#include "core/image/tiff_handle.h"
#include "core/image/tiff_metadata.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

namespace pblur {

namespace {

void check_layout(const RowLayout& layout) {
  if (layout.bits != 8 && layout.bits != 16) throw CodecError("TIFF rows are 8 or 16 bits");
  if (layout.channels != 1 && layout.channels != 3 && layout.channels != 4) {
    throw CodecError("TIFF rows are gray, BGR or BGRA");
  }
  if (layout.width < 1 || layout.height < 1) throw CodecError("a TIFF has at least one pixel");
}

// As OpenCV 4.6's TiffEncoder sets them for imencode(".tif", image) without parameters.
bool configure(TIFF* tiff, const RowLayout& layout) {
  const int rows_per_strip = std::clamp(int(8192 / layout.row_bytes()), 1, layout.height);
  return TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, std::uint32_t(layout.width)) &&
         TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, std::uint32_t(layout.height)) &&
         TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, std::uint16_t(layout.bits)) &&
         TIFFSetField(tiff, TIFFTAG_COMPRESSION, COMPRESSION_LZW) &&
         TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC,
                      layout.channels > 1 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK) &&
         TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
         TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, std::uint16_t(layout.channels)) &&
         TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, std::uint32_t(rows_per_strip)) &&
         TIFFSetField(tiff, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT) &&
         TIFFSetField(tiff, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
}

template <class Sample>
void bgr_to_rgb(std::byte* row, int width, int channels) {
  auto* pixel = reinterpret_cast<Sample*>(row);
  for (int x = 0; x < width; ++x, pixel += channels) std::swap(pixel[0], pixel[2]);
}

}  // namespace

TiffWriter::TiffWriter(std::FILE* file, const RowLayout& layout, const ImageMetadata& metadata)
    : layout_(layout) {
  check_layout(layout);
  row_.resize(layout.row_bytes());
  handle_ = std::make_unique<TiffHandle>(file, "w");
  handle_->check(configure(handle_->get(), layout), "libtiff refused the TIFF's settings");
  handle_->check(set_tiff_metadata(handle_->get(), metadata), "libtiff refused the metadata");
}

TiffWriter::~TiffWriter() = default;

void TiffWriter::write_rows(const std::byte* src, std::size_t stride, int count) {
  check_more_rows(layout_, rows_written_, count);
  for (int i = 0; i < count; ++i, ++rows_written_) {
    // libtiff's predictor rewrites the row it is given, so it gets a copy.
    std::memcpy(row_.data(), src + std::size_t(i) * stride, row_.size());
    if (layout_.channels > 1 && layout_.bits == 8) {
      bgr_to_rgb<std::uint8_t>(row_.data(), layout_.width, layout_.channels);
    } else if (layout_.channels > 1) {
      bgr_to_rgb<std::uint16_t>(row_.data(), layout_.width, layout_.channels);
    }
    handle_->check(
        TIFFWriteScanline(handle_->get(), row_.data(), std::uint32_t(rows_written_), 0) == 1,
        "libtiff could not write row " + std::to_string(rows_written_));
  }
}

void TiffWriter::finish() {
  check_all_rows(layout_, rows_written_);
  handle_->close();
}

}  // namespace pblur
