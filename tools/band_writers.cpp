#include "band_writers.hpp"

#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace bench_image {
namespace {

std::string lowerExtension(const std::string& path) {
  const auto dot = path.rfind('.');
  std::string extension = dot == std::string::npos ? "" : path.substr(dot + 1);
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File openFile(const std::string& path) {
  File file(std::fopen(path.c_str(), "wb"));
  if (!file) {
    throw std::runtime_error("cannot open '" + path + "' for writing");
  }
  return file;
}

void closeFile(File& file, const std::string& path) {
  const bool failed = std::fflush(file.get()) != 0 || std::ferror(file.get()) != 0;
  if (std::fclose(file.release()) != 0 || failed) {
    throw std::runtime_error("cannot write '" + path + "'");
  }
}

// Where a libjpeg or libpng error lands: the library's error callback longjmps here, and the
// guarded call turns it into an exception. Only trivially destructible frames lie in between.
struct ErrorJump {
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
};

template <typename Call>
void guarded(ErrorJump& error, Call&& call) {
  if (setjmp(error.jump) != 0) {
    throw std::runtime_error(error.message);
  }
  call();
}

// BGR rows as RGB, the order every format here stores.
void copyAsRgb(const std::uint8_t* in, std::uint8_t* out, std::size_t pixels, int channels) {
  if (channels == 1) {
    std::copy(in, in + pixels, out);
    return;
  }
  for (std::size_t i = 0; i < pixels; ++i) {
    out[3 * i] = in[3 * i + 2];
    out[3 * i + 1] = in[3 * i + 1];
    out[3 * i + 2] = in[3 * i];
  }
}

std::size_t rowBytes(ImageShape shape) {
  return static_cast<std::size_t>(shape.width) * static_cast<std::size_t>(shape.channels);
}

class JpegWriter : public BandWriter {
 public:
  JpegWriter(const std::string& path, ImageShape shape, int quality)
      : path_(path), shape_(shape), file_(openFile(path)) {
    info_.err = jpeg_std_error(&manager_);
    info_.client_data = &error_;
    manager_.error_exit = [](j_common_ptr info) {
      auto* error = static_cast<ErrorJump*>(info->client_data);
      (*info->err->format_message)(info, error->message);
      std::longjmp(error->jump, 1);
    };
    guarded(error_, [&] { jpeg_create_compress(&info_); });
    created_ = true;
    info_.image_width = static_cast<JDIMENSION>(shape.width);
    info_.image_height = static_cast<JDIMENSION>(shape.height);
    info_.input_components = shape.channels;
    info_.in_color_space = shape.channels == 3 ? JCS_EXT_BGR : JCS_GRAYSCALE;
    guarded(error_, [&] {
      jpeg_stdio_dest(&info_, file_.get());
      jpeg_set_defaults(&info_);
      jpeg_set_quality(&info_, quality, TRUE);
      jpeg_start_compress(&info_, TRUE);
    });
  }
  ~JpegWriter() override {
    if (created_) {
      jpeg_destroy_compress(&info_);
    }
  }
  JpegWriter(const JpegWriter&) = delete;
  JpegWriter& operator=(const JpegWriter&) = delete;

  void write(const std::uint8_t* pixels, int rows) override {
    std::vector<JSAMPROW> pointers(static_cast<std::size_t>(rows));
    for (std::size_t r = 0; r < pointers.size(); ++r) {
      pointers[r] = const_cast<JSAMPROW>(pixels + r * rowBytes(shape_));
    }
    guarded(error_,
            [&] { jpeg_write_scanlines(&info_, pointers.data(), static_cast<JDIMENSION>(rows)); });
  }

  void finish() override {
    guarded(error_, [&] { jpeg_finish_compress(&info_); });
    closeFile(file_, path_);
  }

 private:
  std::string path_;
  ImageShape shape_;
  File file_;
  jpeg_compress_struct info_{};
  jpeg_error_mgr manager_{};
  ErrorJump error_;
  bool created_ = false;
};

class PngWriter : public BandWriter {
 public:
  PngWriter(const std::string& path, ImageShape shape, int compression)
      : path_(path), shape_(shape), file_(openFile(path)), rgb_(rowBytes(shape)) {
    png_ = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error_, onError, nullptr);
    if (png_ == nullptr || (info_ = png_create_info_struct(png_)) == nullptr) {
      throw std::runtime_error("cannot start libpng");
    }
    guarded(error_, [&] {
      png_init_io(png_, file_.get());
      png_set_IHDR(png_, info_, static_cast<png_uint_32>(shape.width),
                   static_cast<png_uint_32>(shape.height), 8,
                   shape.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                   PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
      png_set_compression_level(png_, compression);
      // One filter, not libpng's per-row choice of five: half the time, 3% larger here.
      png_set_filter(png_, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
      png_write_info(png_, info_);
    });
  }
  ~PngWriter() override { png_destroy_write_struct(&png_, &info_); }
  PngWriter(const PngWriter&) = delete;
  PngWriter& operator=(const PngWriter&) = delete;

  void write(const std::uint8_t* pixels, int rows) override {
    for (int r = 0; r < rows; ++r) {
      copyAsRgb(pixels + static_cast<std::size_t>(r) * rgb_.size(), rgb_.data(),
                static_cast<std::size_t>(shape_.width), shape_.channels);
      guarded(error_, [&] { png_write_row(png_, rgb_.data()); });
    }
  }

  void finish() override {
    guarded(error_, [&] { png_write_end(png_, nullptr); });
    closeFile(file_, path_);
  }

 private:
  static void onError(png_structp png, png_const_charp message) {
    auto* error = static_cast<ErrorJump*>(png_get_error_ptr(png));
    std::snprintf(error->message, sizeof error->message, "libpng: %s", message);
    std::longjmp(error->jump, 1);
  }

  std::string path_;
  ImageShape shape_;
  File file_;
  std::vector<std::uint8_t> rgb_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
  ErrorJump error_;
};

std::string lastTiffError;  // set by libtiff's error handler, read when a call fails

void onTiffError(const char* module, const char* format, va_list args) {
  char message[512];
  std::vsnprintf(message, sizeof message, format, args);
  lastTiffError = std::string(module != nullptr ? module : "libtiff") + ": " + message;
}

class TiffWriter : public BandWriter {
 public:
  TiffWriter(const std::string& path, ImageShape shape, int tileSide)
      : path_(path),
        shape_(shape),
        tileSide_(tileSide),
        tile_(static_cast<std::size_t>(tileSide) * static_cast<std::size_t>(tileSide) *
              static_cast<std::size_t>(shape.channels)) {
    TIFFSetErrorHandler(onTiffError);
    tiff_ = TIFFOpen(path.c_str(), "w8");  // BigTIFF
    if (tiff_ == nullptr) {
      throw std::runtime_error("cannot open '" + path + "' for writing: " + lastTiffError);
    }
    const bool ok =
        TIFFSetField(tiff_, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(shape.width)) &&
        TIFFSetField(tiff_, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(shape.height)) &&
        TIFFSetField(tiff_, TIFFTAG_BITSPERSAMPLE, 8) &&
        TIFFSetField(tiff_, TIFFTAG_SAMPLESPERPIXEL, shape.channels) &&
        TIFFSetField(tiff_, TIFFTAG_PHOTOMETRIC,
                     shape.channels == 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK) &&
        TIFFSetField(tiff_, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
        TIFFSetField(tiff_, TIFFTAG_COMPRESSION, COMPRESSION_NONE) &&
        TIFFSetField(tiff_, TIFFTAG_TILEWIDTH, static_cast<std::uint32_t>(tileSide)) &&
        TIFFSetField(tiff_, TIFFTAG_TILELENGTH, static_cast<std::uint32_t>(tileSide));
    if (!ok) {
      throw std::runtime_error("cannot set up TIFF '" + path + "': " + lastTiffError);
    }
  }
  ~TiffWriter() override {
    if (tiff_ != nullptr) {
      TIFFClose(tiff_);
    }
  }
  TiffWriter(const TiffWriter&) = delete;
  TiffWriter& operator=(const TiffWriter&) = delete;

  int bandRows() const override { return tileSide_; }

  void write(const std::uint8_t* pixels, int rows) override {
    for (int x = 0; x < shape_.width; x += tileSide_) {
      std::fill(tile_.begin(), tile_.end(), std::uint8_t{0});
      const int columns = std::min(tileSide_, shape_.width - x);
      const std::size_t tileRow =
          static_cast<std::size_t>(tileSide_) * static_cast<std::size_t>(shape_.channels);
      for (int r = 0; r < rows; ++r) {
        const std::uint8_t* in =
            pixels + static_cast<std::size_t>(r) * rowBytes(shape_) +
            static_cast<std::size_t>(x) * static_cast<std::size_t>(shape_.channels);
        copyAsRgb(in, tile_.data() + static_cast<std::size_t>(r) * tileRow,
                  static_cast<std::size_t>(columns), shape_.channels);
      }
      if (TIFFWriteTile(tiff_, tile_.data(), static_cast<std::uint32_t>(x),
                        static_cast<std::uint32_t>(y_), 0, 0) < 0) {
        throw std::runtime_error("cannot write a tile of '" + path_ + "': " + lastTiffError);
      }
    }
    y_ += rows;
  }

  void finish() override {
    const bool flushed = TIFFFlush(tiff_) == 1;
    TIFFClose(tiff_);
    tiff_ = nullptr;
    if (!flushed) {
      throw std::runtime_error("cannot write '" + path_ + "': " + lastTiffError);
    }
  }

 private:
  std::string path_;
  ImageShape shape_;
  int tileSide_;
  std::vector<std::uint8_t> tile_;
  TIFF* tiff_ = nullptr;
  int y_ = 0;
};

class PnmWriter : public BandWriter {
 public:
  PnmWriter(const std::string& path, ImageShape shape)
      : path_(path), shape_(shape), file_(openFile(path)), rgb_(rowBytes(shape)) {
    std::fprintf(file_.get(), "P%c\n%d %d\n255\n", shape.channels == 3 ? '6' : '5', shape.width,
                 shape.height);
  }

  void write(const std::uint8_t* pixels, int rows) override {
    for (int r = 0; r < rows; ++r) {
      copyAsRgb(pixels + static_cast<std::size_t>(r) * rgb_.size(), rgb_.data(),
                static_cast<std::size_t>(shape_.width), shape_.channels);
      std::fwrite(rgb_.data(), 1, rgb_.size(), file_.get());
    }
  }

  void finish() override { closeFile(file_, path_); }

 private:
  std::string path_;
  ImageShape shape_;
  File file_;
  std::vector<std::uint8_t> rgb_;
};

}  // namespace

bool canWriteBands(const std::string& path, int channels) {
  const std::string extension = lowerExtension(path);
  return extension == "jpg" || extension == "jpeg" || extension == "png" || extension == "tif" ||
         extension == "tiff" || (extension == "ppm" && channels == 3) ||
         (extension == "pgm" && channels == 1);
}

std::unique_ptr<BandWriter> openBandWriter(const std::string& path, ImageShape shape,
                                           const WriterSettings& settings) {
  const std::string extension = lowerExtension(path);
  if (!canWriteBands(path, shape.channels)) {
    throw std::invalid_argument("no band writer for '" + path + "'");
  }
  if (extension == "jpg" || extension == "jpeg") {
    return std::make_unique<JpegWriter>(path, shape, settings.jpegQuality);
  }
  if (extension == "png") {
    return std::make_unique<PngWriter>(path, shape, settings.pngCompression);
  }
  if (extension == "tif" || extension == "tiff") {
    return std::make_unique<TiffWriter>(path, shape, settings.tileSide);
  }
  return std::make_unique<PnmWriter>(path, shape);
}

int maxSideFor(const std::string& path) {
  const std::string extension = lowerExtension(path);
  return extension == "jpg" || extension == "jpeg" ? JPEG_MAX_DIMENSION : 1 << 20;
}

}  // namespace bench_image
