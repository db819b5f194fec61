#include "core/image/exif_orientation.h"

#include <cstdint>
#include <optional>

namespace pblur {
namespace {

enum Tag : std::uint16_t {
  kImageDescription = 0x010E,
  kMake = 0x010F,
  kModel = 0x0110,
  kOrientation = 0x0112,
  kXResolution = 0x011A,
  kYResolution = 0x011B,
  kResolutionUnit = 0x0128,
  kSoftware = 0x0131,
  kDateTime = 0x0132,
  kWhitePoint = 0x013E,
  kPrimaryChromaticities = 0x013F,
  kYCbCrCoefficients = 0x0211,
  kYCbCrPositioning = 0x0213,
  kReferenceBlackWhite = 0x0214,
  kCopyright = 0x8298,
  kExifOffset = 0x8769,
};

struct OutOfRange {};

// OpenCV's ExifReader reads big-endian unless the payload starts "II".
class ExifBytes {
 public:
  explicit ExifBytes(std::span<const std::byte> data)
      : data_(data), intel_(data.size() >= 2 && data[0] == data[1] && data[0] == std::byte{'I'}) {
    if (data.size() == 1) intel_ = data[0] == std::byte{'I'};
  }
  std::size_t size() const { return data_.size(); }
  std::uint32_t u16(std::size_t at) const {
    if (at + 1 >= size()) throw OutOfRange{};
    const std::uint32_t a = byte(at), b = byte(at + 1);
    return intel_ ? a | b << 8 : a << 8 | b;
  }
  std::uint32_t u32(std::size_t at) const {
    if (at + 3 >= size()) throw OutOfRange{};
    const std::uint32_t a = u16(at), b = u16(at + 2);
    return intel_ ? a | b << 16 : a << 16 | b;
  }

 private:
  std::uint32_t byte(std::size_t at) const { return std::uint32_t(data_[at]); }
  std::span<const std::byte> data_;
  bool intel_;
};

void check_string(const ExifBytes& exif, std::size_t entry) {
  const std::uint32_t count = exif.u32(entry + 4);
  const std::uint64_t offset = count > 4 ? exif.u32(entry + 8) : 8;
  if (offset > exif.size() || offset + count > exif.size()) throw OutOfRange{};
}

void check_rationals(const ExifBytes& exif, std::size_t entry, int count) {
  const std::size_t offset = exif.u32(entry + 8);
  for (int i = 0; i < count; ++i) exif.u32(offset + std::size_t(i) * 8 + 4);
}

// Reads an entry as OpenCV's parseExifEntry does: the value of an orientation tag, nothing for
// the others; throws OutOfRange where OpenCV's reader throws.
std::optional<int> parse_entry(const ExifBytes& exif, std::size_t entry) {
  switch (exif.u16(entry)) {
    case kImageDescription:
    case kMake:
    case kModel:
    case kSoftware:
    case kDateTime:
    case kCopyright:
      check_string(exif, entry);
      return std::nullopt;
    case kOrientation:
      return int(exif.u16(entry + 8));
    case kXResolution:
    case kYResolution:
      check_rationals(exif, entry, 1);
      return std::nullopt;
    case kWhitePoint:
      check_rationals(exif, entry, 2);
      return std::nullopt;
    case kPrimaryChromaticities:
    case kReferenceBlackWhite:
      check_rationals(exif, entry, 6);
      return std::nullopt;
    case kYCbCrCoefficients:
      check_rationals(exif, entry, 3);
      return std::nullopt;
    case kResolutionUnit:
    case kYCbCrPositioning:
      exif.u16(entry + 8);
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

int opencv_exif_orientation(std::span<const std::byte> app1_payload) {
  constexpr std::size_t kTiffHeaderOffset = 6, kEntrySize = 12;
  if (app1_payload.size() <= kTiffHeaderOffset) return 1;
  const ExifBytes exif(app1_payload.subspan(kTiffHeaderOffset));
  try {
    if (exif.u16(2) != 42) return 1;
    std::size_t entry = exif.u32(4);
    const std::size_t count = exif.u16(entry);
    entry += 2;
    for (std::size_t i = 0; i < count; ++i, entry += kEntrySize) {
      if (const auto orientation = parse_entry(exif, entry)) return *orientation;
    }
  } catch (const OutOfRange&) {
  }
  return 1;
}

void apply_exif_orientation(cv::Mat& image, int orientation) {
  if (orientation < 2 || orientation > 8) return;
  if (orientation >= 5) {
    cv::Mat turned;
    turned.allocator = image.allocator;
    cv::transpose(image, turned);
    image = turned;
  }
  switch (orientation) {
    case 2:
    case 6:
      cv::flip(image, image, 1);
      break;
    case 3:
    case 7:
      cv::flip(image, image, -1);
      break;
    case 4:
    case 8:
      cv::flip(image, image, 0);
      break;
  }
}

}  // namespace pblur
