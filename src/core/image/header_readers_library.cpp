// Image sizes read by the libraries that OpenCV decodes these formats with, so that the size
// pblur checks is the size the decoder will allocate.
#include <algorithm>
#include <csetjmp>
#include <cstdarg>
#include <cstdio>  // jpeglib.h needs FILE
#include <cstring>

#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>
#include <webp/decode.h>

#include "core/image/header_readers.h"

namespace pblur {
namespace {

const unsigned char* bytes_of(std::span<const std::byte> file) {
  return reinterpret_cast<const unsigned char*>(file.data());
}

struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
};

[[noreturn]] void leave_jpeg(j_common_ptr info) {
  std::longjmp(reinterpret_cast<JpegErrors*>(info->err)->jump, 1);
}

void ignore_jpeg_message(j_common_ptr) {}

// Reads markers up to the first scan. libjpeg's errors jump back here, leaving whatever it had
// read: the frame's size once the SOF marker is read, as the decoder reads that same marker.
void read_jpeg_header(jpeg_decompress_struct& info, JpegErrors& errors,
                      std::span<const std::byte> file) {
  if (setjmp(errors.jump)) return;
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, bytes_of(file), static_cast<unsigned long>(file.size()));
  jpeg_read_header(&info, TRUE);
}

struct PngSource {
  std::span<const std::byte> file;
  std::size_t at = 0;
};

void read_png_bytes(png_structp png, png_bytep out, std::size_t count) {
  auto& source = *static_cast<PngSource*>(png_get_io_ptr(png));
  if (count > source.file.size() - source.at) png_error(png, "the file is cut short");
  std::memcpy(out, source.file.data() + source.at, count);
  source.at += count;
}

[[noreturn]] void leave_png(png_structp png, png_const_charp) {
  png_longjmp(png, 1);
}

void ignore_png_warning(png_structp, png_const_charp) {}

// Reads the chunks before the first IDAT. libpng's errors jump back here, leaving whatever it had
// read: the IHDR chunk (always first, its CRC checked) once it is read.
void read_png_info(png_structp png, png_infop info) {
  if (setjmp(png_jmpbuf(png))) return;
  png_read_info(png, info);
}

struct TiffSource {
  std::span<const std::byte> file;
  toff_t at = 0;
};

tmsize_t read_tiff_bytes(thandle_t handle, void* out, tmsize_t count) {
  auto& source = *static_cast<TiffSource*>(handle);
  if (count < 0 || source.at > source.file.size()) return 0;
  const std::size_t n = std::min(std::size_t(count), std::size_t(source.file.size() - source.at));
  std::memcpy(out, source.file.data() + source.at, n);
  source.at += n;
  return tmsize_t(n);
}

tmsize_t refuse_tiff_write(thandle_t, void*, tmsize_t) {
  return -1;
}

toff_t seek_tiff(thandle_t handle, toff_t offset, int whence) {
  auto& source = *static_cast<TiffSource*>(handle);
  const toff_t base = whence == SEEK_CUR ? source.at : whence == SEEK_END ? source.file.size() : 0;
  source.at = base + offset;
  return source.at;
}

int close_tiff(thandle_t) {
  return 0;
}

toff_t tiff_file_size(thandle_t handle) {
  return static_cast<TiffSource*>(handle)->file.size();
}

int map_no_tiff(thandle_t, void**, toff_t*) {
  return 0;
}

void unmap_no_tiff(thandle_t, void*, toff_t) {}

int ignore_tiff_message(TIFF*, void*, const char*, const char*, va_list) {
  return 1;  // handled: libtiff's process-wide handlers stay quiet
}

// Directory tables beyond this are not an image pblur could filter.
constexpr tmsize_t kTiffLargestAllocation = tmsize_t{256} << 20;

TIFF* open_tiff(TiffSource& source) {
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  if (!options) return nullptr;
  TIFFOpenOptionsSetErrorHandlerExtR(options, ignore_tiff_message, nullptr);
  TIFFOpenOptionsSetWarningHandlerExtR(options, ignore_tiff_message, nullptr);
  TIFFOpenOptionsSetMaxSingleMemAlloc(options, kTiffLargestAllocation);
  TIFF* tiff =
      TIFFClientOpenExt("header", "rm", &source, read_tiff_bytes, refuse_tiff_write, seek_tiff,
                        close_tiff, tiff_file_size, map_no_tiff, unmap_no_tiff, options);
  TIFFOpenOptionsFree(options);
  return tiff;
}

}  // namespace

ImageSize read_jpeg_size(std::span<const std::byte> file) {
  jpeg_decompress_struct info{};
  JpegErrors errors{};
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = leave_jpeg;
  errors.manager.output_message = ignore_jpeg_message;
  read_jpeg_header(info, errors, file);
  const ImageSize size{info.image_width, info.image_height, 0};
  jpeg_destroy_decompress(&info);
  return size;
}

ImageSize read_png_size(std::span<const std::byte> file) {
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, leave_png, ignore_png_warning);
  if (!png) return {};
  png_infop info = png_create_info_struct(png);
  PngSource source{file};
  ImageSize size;
  if (info) {
    png_set_read_fn(png, &source, read_png_bytes);
    read_png_info(png, info);
    size = {png_get_image_width(png, info), png_get_image_height(png, info), 0};
  }
  png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
  return size;
}

ImageSize read_tiff_size(std::span<const std::byte> file) {
  TiffSource source{file};
  TIFF* tiff = open_tiff(source);
  if (!tiff) return {};
  std::uint32_t width = 0, height = 0;
  ImageSize size;
  if (TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width) == 1 &&
      TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height) == 1) {
    size = {width, height, 0};
  }
  TIFFClose(tiff);
  return size;
}

ImageSize read_webp_size(std::span<const std::byte> file) {
  WebPBitstreamFeatures features{};
  if (WebPGetFeatures(bytes_of(file), file.size(), &features) != VP8_STATUS_OK) return {};
  if (features.width <= 0 || features.height <= 0) return {};
  return {std::uint64_t(features.width), std::uint64_t(features.height), 0};
}

}  // namespace pblur
