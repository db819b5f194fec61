#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/image/image_metadata.h"

namespace pblur {

// A file a reader cannot decode, or pixels a writer cannot encode; what() is the reason alone,
// without the file's name (the caller knows it).
class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An image's shape as its header states it, known before any pixel is decoded. Rows are
// interleaved as OpenCV orders them: gray, BGR or BGRA, 8 or 16 bits per sample (native byte
// order), so a row is width * channels * bytes_per_sample() bytes.
struct RowLayout {
  int width = 0;
  int height = 0;
  int channels = 0;  // 1, 3 or 4
  int bits = 8;      // 8 or 16

  int bytes_per_sample() const { return bits / 8; }
  std::size_t row_bytes() const {
    return std::size_t(width) * std::size_t(channels) * std::size_t(bytes_per_sample());
  }
  int cv_type() const;  // CV_8UC1 ... CV_16UC4
  bool operator==(const RowLayout&) const = default;
};

// Throw CodecError unless `count` more rows after the first `done` stay inside the image / unless
// all of its rows are done.
void check_more_rows(const RowLayout& layout, int done, int count);
void check_all_rows(const RowLayout& layout, int done);

// Decodes one image top to bottom, a few rows at a time, into the caller's memory.
class RowReader {
 public:
  virtual ~RowReader() = default;

  // The rows read_rows delivers, as stored in the file (before any EXIF turn).
  virtual const RowLayout& layout() const = 0;

  // Whether reading row by row keeps only a window of rows in memory and the rows are the
  // image as shown; if not, stream_blocker() says why (progressive JPEG, interlaced PNG, an
  // EXIF orientation to apply, ...) and the caller should read the image whole.
  virtual bool can_stream() const { return stream_blocker().empty(); }
  virtual std::string stream_blocker() const = 0;

  // The EXIF orientation (1-8) that a whole-image read applies as OpenCV's imread does; 1 when
  // the rows are already upright or the format has none.
  virtual int orientation() const { return 1; }

  virtual const ImageMetadata& metadata() const = 0;

  // The quality a JPEG's quantisation tables were scaled for (see estimate_jpeg_quality);
  // nullopt for the other formats.
  virtual std::optional<int> jpeg_quality() const { return std::nullopt; }

  // Whether the file is a WebP compressed without loss (VP8L); false for the other formats.
  virtual bool webp_lossless() const { return false; }

  // Decodes the next `count` rows into dst, dst + stride, ...; throws CodecError if the file is
  // corrupt or ends early (every decoder warning that means lost or invented pixels is an
  // error). Reading past the last row is an error.
  virtual void read_rows(std::byte* dst, std::size_t stride, int count) = 0;

  // Rows delivered so far.
  virtual int rows_read() const = 0;
};

// Encodes one image whose layout is given up front, from rows given top to bottom.
class RowWriter {
 public:
  virtual ~RowWriter() = default;

  virtual const RowLayout& layout() const = 0;

  // Encodes the next `count` rows from src, src + stride, ...; throws CodecError.
  virtual void write_rows(const std::byte* src, std::size_t stride, int count) = 0;

  // Ends the file once every row has been written, and flushes it to the destination (which
  // the caller still owns and closes). Throws CodecError if rows are missing or a write failed.
  virtual void finish() = 0;
};

}  // namespace pblur
