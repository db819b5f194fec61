#pragma once

#include <cstdio>
#include <span>
#include <string>

#include <tiffio.h>

namespace pblur {

// Where a TiffHandle's bytes come from or go to.
struct TiffSource {
  std::FILE* file = nullptr;
  std::span<const std::byte> memory;
  std::size_t at = 0;
};

// A libtiff handle on a FILE* (which the caller owns and keeps open) or on memory (which must
// outlive the handle). libtiff's errors are kept for check() instead of printed; its warnings
// (unknown tags and the like) are dropped. Closing (on destruction or close()) writes a file
// being written.
class TiffHandle {
 public:
  // `mode` is libtiff's: "r" to read, "w" to write a classic TIFF.
  TiffHandle(std::FILE* file, const char* mode);
  explicit TiffHandle(std::span<const std::byte> bytes);
  ~TiffHandle();
  TiffHandle(const TiffHandle&) = delete;
  TiffHandle& operator=(const TiffHandle&) = delete;

  TIFF* get() const { return tiff_; }

  // Throws CodecError with libtiff's error (or `what` when it gave none) unless `ok` and no
  // error was reported since the last check.
  void check(bool ok, const std::string& what);

  // Writes what is pending (the directory of a file being written); throws CodecError.
  void close();

 private:
  static int on_error(TIFF*, void* self, const char* module, const char* format, va_list args);
  static int on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }
  void open(const char* mode);

  TiffSource source_;
  TIFF* tiff_ = nullptr;
  std::string error_;
};

}  // namespace pblur
