#include "core/image/tiff_reader.h"

#include "core/image/tiff_handle.h"
#include "core/image/tiff_metadata.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace pblur {

namespace {

[[noreturn]] void unsupported(const std::string& what) {
  throw CodecError("unsupported TIFF layout (" + what + "); OpenCV reads it");
}

std::uint16_t field16(TIFF* tiff, ttag_t tag) {
  std::uint16_t value = 0;
  TIFFGetFieldDefaulted(tiff, tag, &value);
  return value;
}

std::uint32_t field32(TIFF* tiff, ttag_t tag) {
  std::uint32_t value = 0;
  TIFFGetFieldDefaulted(tiff, tag, &value);
  return value;
}

// The channels OpenCV 4.6 gives an 8-bit image of this photometric interpretation, or 0.
int channels_of_8_bit(std::uint16_t photometric, std::uint16_t samples) {
  const bool gray = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  if (gray && samples == 1) return 1;
  if (photometric == PHOTOMETRIC_PALETTE && samples == 1) return 3;
  if (photometric == PHOTOMETRIC_RGB && (samples == 3 || samples == 4)) return samples;
  return 0;
}

int channels_of_16_bit(std::uint16_t photometric, std::uint16_t samples) {
  if (photometric == PHOTOMETRIC_MINISBLACK && samples == 1) return 1;
  if (photometric == PHOTOMETRIC_RGB && (samples == 3 || samples == 4)) return samples;
  return 0;
}

// libtiff's packed ABGR pixels as OpenCV's gray, BGR or BGRA samples.
void rgba_to_opencv(const std::uint32_t* rgba, std::byte* dst, int width, int channels) {
  for (int x = 0; x < width; ++x, dst += channels) {
    const std::uint32_t p = rgba[x];
    if (channels == 1) {
      dst[0] = std::byte(TIFFGetR(p));  // gray came through as R = G = B
      continue;
    }
    dst[0] = std::byte(TIFFGetB(p));
    dst[1] = std::byte(TIFFGetG(p));
    dst[2] = std::byte(TIFFGetR(p));
    if (channels == 4) dst[3] = std::byte(TIFFGetA(p));
  }
}

void rgb16_to_bgr16(std::byte* row, int width, int channels) {
  auto* samples = reinterpret_cast<std::uint16_t*>(row);
  for (int x = 0; x < width; ++x, samples += channels) std::swap(samples[0], samples[2]);
}

}  // namespace

bool is_tiff(std::span<const std::byte> signature) {
  if (signature.size() < 4) return false;
  const auto at = [&signature](int i) { return int(signature[std::size_t(i)]); };
  return (at(0) == 'I' && at(1) == 'I' && (at(2) == 42 || at(2) == 43) && at(3) == 0) ||
         (at(0) == 'M' && at(1) == 'M' && at(2) == 0 && (at(3) == 42 || at(3) == 43));
}

// The decoded band of rows (a strip, or a row of tiles) that read_rows copies from.
struct TiffReader::Band {
  bool tiled = false;
  int height = 0;      // rows in a full band
  int tile_width = 0;  // tiled only
  int first = 0;       // the band's first row
  int rows = 0;        // rows decoded, 0 before the first band
  bool rgba = false;   // 8 bits, through TIFFRGBAImage
  TIFFRGBAImage image{};
  std::vector<std::uint32_t> rgba_rows;
  std::vector<std::byte> rows16;
  std::vector<std::byte> tile;

  ~Band() {
    if (rgba) TIFFRGBAImageEnd(&image);
  }
};

TiffReader::TiffReader(std::FILE* file) : handle_(std::make_unique<TiffHandle>(file, "r")) {
  read_header();
}

TiffReader::TiffReader(std::span<const std::byte> bytes)
    : handle_(std::make_unique<TiffHandle>(bytes)) {
  read_header();
}

TiffReader::~TiffReader() = default;

void TiffReader::read_header() {
  TIFF* tiff = handle_->get();
  std::uint32_t width = 0, height = 0;
  std::uint16_t photometric = 0;
  handle_->check(TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width) &&
                     TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height) &&
                     TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric),
                 "the TIFF lacks its width, height or photometric interpretation");
  if (width == 0 || height == 0 || width > INT32_MAX / 4 || height > INT32_MAX) {
    throw CodecError("the TIFF's size is out of range");
  }
  const std::uint16_t bits = field16(tiff, TIFFTAG_BITSPERSAMPLE);
  const std::uint16_t samples = field16(tiff, TIFFTAG_SAMPLESPERPIXEL);
  if (field16(tiff, TIFFTAG_SAMPLEFORMAT) != SAMPLEFORMAT_UINT) unsupported("signed or float");
  if (field16(tiff, TIFFTAG_ORIENTATION) != ORIENTATION_TOPLEFT) unsupported("orientation");
  if (bits != 8 && bits != 16) unsupported(std::to_string(bits) + " bits per sample");
  const int channels = bits == 8 ? channels_of_8_bit(photometric, samples)
                                 : channels_of_16_bit(photometric, samples);
  if (channels == 0) {
    unsupported("photometric " + std::to_string(photometric) + " with " + std::to_string(samples) +
                " samples");
  }
  if (bits == 16 && field16(tiff, TIFFTAG_PLANARCONFIG) != PLANARCONFIG_CONTIG) {
    unsupported("16-bit planar samples");
  }
  layout_ = {int(width), int(height), channels, bits};
  metadata_ = tiff_metadata_of(tiff);
  band_ = std::make_unique<Band>();
  band_->tiled = TIFFIsTiled(tiff);
  band_->height =
      int(std::min<std::uint32_t>(height, band_->tiled ? field32(tiff, TIFFTAG_TILELENGTH)
                                                       : field32(tiff, TIFFTAG_ROWSPERSTRIP)));
  band_->tile_width = band_->tiled ? int(field32(tiff, TIFFTAG_TILEWIDTH)) : 0;
  if (band_->height < 1 || (band_->tiled && band_->tile_width < 1)) {
    throw CodecError("the TIFF's strips or tiles have no rows");
  }
  if (bits == 8 && band_->tiled && field16(tiff, TIFFTAG_PLANARCONFIG) != PLANARCONFIG_CONTIG) {
    unsupported("planar tiles");  // libtiff 4.5's RGBA reader fails on their last plane
  }
  if (bits == 8) {
    char message[1024] = "";
    if (!TIFFRGBAImageOK(tiff, message) || !TIFFRGBAImageBegin(&band_->image, tiff, 1, message)) {
      unsupported(message);
    }
    band_->rgba = true;
    band_->image.req_orientation = ORIENTATION_TOPLEFT;
  }
}

std::string TiffReader::stream_blocker() const {
  if (!band_->tiled && band_->height == layout_.height && layout_.height > 1) {
    return "a TIFF stored as one strip is decoded whole";
  }
  return {};
}

void TiffReader::read_band() {
  Band& band = *band_;
  TIFF* tiff = handle_->get();
  band.first += band.rows;
  band.rows = std::min(band.height, layout_.height - band.first);
  const std::size_t width = std::size_t(layout_.width);
  if (band.rgba) {
    band.rgba_rows.resize(width * std::size_t(band.rows));
    band.image.row_offset = band.first;
    band.image.col_offset = 0;
    handle_->check(TIFFRGBAImageGet(&band.image, band.rgba_rows.data(), std::uint32_t(width),
                                    std::uint32_t(band.rows)) != 0,
                   "libtiff could not decode rows " + std::to_string(band.first));
    return;
  }
  const std::size_t row_bytes = layout_.row_bytes(), bytes = row_bytes * std::size_t(band.rows);
  band.rows16.resize(bytes);
  if (!band.tiled) {
    const tstrip_t strip = TIFFComputeStrip(tiff, std::uint32_t(band.first), 0);
    handle_->check(
        TIFFReadEncodedStrip(tiff, strip, band.rows16.data(), tmsize_t(bytes)) == tmsize_t(bytes),
        "strip " + std::to_string(strip) + " is short or corrupt");
    return;
  }
  band.tile.resize(std::size_t(TIFFTileSize(tiff)));
  const std::size_t pixel = row_bytes / width;
  for (std::size_t x = 0; x < width; x += std::size_t(band.tile_width)) {
    const ttile_t index = TIFFComputeTile(tiff, std::uint32_t(x), std::uint32_t(band.first), 0, 0);
    handle_->check(TIFFReadEncodedTile(tiff, index, band.tile.data(), tmsize_t(band.tile.size())) ==
                       tmsize_t(band.tile.size()),
                   "tile " + std::to_string(index) + " is short or corrupt");
    const std::size_t span = std::min(std::size_t(band.tile_width), width - x) * pixel;
    for (int y = 0; y < band.rows; ++y) {
      std::memcpy(band.rows16.data() + std::size_t(y) * row_bytes + x * pixel,
                  band.tile.data() + std::size_t(y) * std::size_t(band.tile_width) * pixel, span);
    }
  }
}

void TiffReader::read_rows(std::byte* dst, std::size_t stride, int count) {
  check_more_rows(layout_, rows_read_, count);
  Band& band = *band_;
  for (int i = 0; i < count; ++i, ++rows_read_) {
    if (rows_read_ == band.first + band.rows) read_band();
    std::byte* row = dst + std::size_t(i) * stride;
    const std::size_t at = std::size_t(rows_read_ - band.first);
    if (band.rgba) {
      rgba_to_opencv(band.rgba_rows.data() + at * std::size_t(layout_.width), row, layout_.width,
                     layout_.channels);
      continue;
    }
    std::memcpy(row, band.rows16.data() + at * layout_.row_bytes(), layout_.row_bytes());
    if (layout_.channels > 1) rgb16_to_bgr16(row, layout_.width, layout_.channels);
  }
}

}  // namespace pblur
