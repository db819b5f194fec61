#include "core/image/tiff_handle.h"

#include <algorithm>
#include <cstdarg>
#include <cstring>
#include <memory>

#include "core/image/row_codec.h"

namespace pblur {

namespace {

TiffSource& source_of(thandle_t handle) {
  return *static_cast<TiffSource*>(handle);
}

tmsize_t read_source(thandle_t handle, void* buffer, tmsize_t size) {
  TiffSource& source = source_of(handle);
  if (source.file) return tmsize_t(std::fread(buffer, 1, std::size_t(size), source.file));
  const std::size_t n = std::min(std::size_t(size), source.memory.size() - source.at);
  std::memcpy(buffer, source.memory.data() + source.at, n);
  source.at += n;
  return tmsize_t(n);
}

tmsize_t write_source(thandle_t handle, void* buffer, tmsize_t size) {
  TiffSource& source = source_of(handle);
  if (!source.file) return 0;
  return tmsize_t(std::fwrite(buffer, 1, std::size_t(size), source.file));
}

toff_t seek_source(thandle_t handle, toff_t offset, int whence) {
  TiffSource& source = source_of(handle);
  if (source.file) {
    if (fseeko(source.file, off_t(offset), whence) != 0) return toff_t(-1);
    return toff_t(ftello(source.file));
  }
  const std::size_t base = whence == SEEK_SET   ? 0
                           : whence == SEEK_CUR ? source.at
                                                : source.memory.size();
  source.at = std::min(source.memory.size(), base + std::size_t(offset));
  return source.at;
}

toff_t size_of_source(thandle_t handle) {
  TiffSource& source = source_of(handle);
  if (!source.file) return source.memory.size();
  const off_t at = ftello(source.file);
  fseeko(source.file, 0, SEEK_END);
  const off_t size = ftello(source.file);
  fseeko(source.file, at, SEEK_SET);
  return toff_t(size);
}

int close_source(thandle_t) {
  return 0;
}
int map_nothing(thandle_t, void**, toff_t*) {
  return 0;
}
void unmap_nothing(thandle_t, void*, toff_t) {}

struct OptionsDeleter {
  void operator()(TIFFOpenOptions* options) const { TIFFOpenOptionsFree(options); }
};

}  // namespace

TiffHandle::TiffHandle(std::FILE* file, const char* mode) {
  source_.file = file;
  open(mode);
}

TiffHandle::TiffHandle(std::span<const std::byte> bytes) {
  source_.memory = bytes;
  open("r");
}

TiffHandle::~TiffHandle() {
  if (tiff_) TIFFClose(tiff_);
}

void TiffHandle::open(const char* mode) {
  const std::unique_ptr<TIFFOpenOptions, OptionsDeleter> options(TIFFOpenOptionsAlloc());
  if (!options) throw CodecError("libtiff could not start (out of memory)");
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), on_error, this);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), on_warning, this);
  // "m": never map the file, so a FILE* is read through its own position.
  const std::string flags = std::string(mode) + "m";
  tiff_ =
      TIFFClientOpenExt("", flags.c_str(), &source_, read_source, write_source, seek_source,
                        close_source, size_of_source, map_nothing, unmap_nothing, options.get());
  check(tiff_ != nullptr, "not a TIFF libtiff can open");
}

int TiffHandle::on_error(TIFF*, void* self, const char* module, const char* format, va_list args) {
  char text[512];
  std::vsnprintf(text, sizeof text, format, args);
  auto& error = static_cast<TiffHandle*>(self)->error_;
  if (error.empty()) error = (module && *module ? std::string(module) + ": " : "") + text;
  return 1;
}

void TiffHandle::check(bool ok, const std::string& what) {
  if (ok && error_.empty()) return;
  const std::string reason = error_.empty() ? what : error_;
  error_.clear();
  throw CodecError(reason);
}

void TiffHandle::close() {
  TIFF* tiff = tiff_;
  tiff_ = nullptr;
  TIFFClose(tiff);
  check(true, "");
  // libtiff's last write is the directory, before data of its own: the file ends further on.
  if (source_.file && (fseeko(source_.file, 0, SEEK_END) != 0 || std::fflush(source_.file) != 0)) {
    throw CodecError("the TIFF could not be written");
  }
}

}  // namespace pblur
