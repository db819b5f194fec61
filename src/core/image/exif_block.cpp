#include "core/image/exif_block.h"

#include <cstdint>
#include <functional>

#include "core/image/row_codec.h"

namespace pblur {
namespace {

constexpr std::uint16_t kOrientation = 0x0112, kExifIfd = 0x8769;
constexpr std::uint16_t kPixelXDimension = 0xA002, kPixelYDimension = 0xA003;
constexpr std::uint16_t kShort = 3, kLong = 4;
constexpr std::size_t kEntrySize = 12;

// Bytes of one value of each TIFF field type (1 BYTE ... 13 IFD); 0 for unknown types.
std::size_t type_size(std::uint32_t type) {
  static constexpr std::size_t kSizes[] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};
  return type < std::size(kSizes) ? kSizes[type] : 0;
}

// The block's integers in its byte order, bounds-checked.
class TiffBlock {
 public:
  explicit TiffBlock(std::vector<std::byte>& data) : data_(data) {
    if (data.size() < 8) throw CodecError("the EXIF block is shorter than its header");
    const auto byte = [&](std::size_t at) { return char(data[at]); };
    if (byte(0) == 'I' && byte(1) == 'I') {
      intel_ = true;
    } else if (byte(0) != 'M' || byte(1) != 'M') {
      throw CodecError("the EXIF block has no TIFF byte order mark");
    }
    if (u16(2) != 42) throw CodecError("the EXIF block's TIFF header is not 42");
  }

  std::uint32_t u16(std::size_t at) const { return read(at, 2); }
  std::uint32_t u32(std::size_t at) const { return read(at, 4); }
  void put(std::size_t at, std::size_t size, std::uint32_t value) {
    check(at, size);
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t shift = 8 * (intel_ ? i : size - 1 - i);
      data_[at + i] = std::byte((value >> shift) & 0xFF);
    }
  }
  void check(std::size_t at, std::size_t size) const {
    if (at > data_.size() || size > data_.size() - at)
      throw CodecError("the EXIF block points outside itself");
  }

 private:
  std::uint32_t read(std::size_t at, std::size_t size) const {
    check(at, size);
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t index = at + (intel_ ? size - 1 - i : i);
      value = value << 8 | std::uint32_t(data_[index]);
    }
    return value;
  }

  std::vector<std::byte>& data_;
  bool intel_ = false;
};

struct Entry {
  std::uint16_t tag;
  std::uint16_t type;
  std::uint32_t count;
  std::size_t at;  // of the entry
};

// Calls `visit` for every entry of the IFD at `offset` after checking that the entry and its
// values lie inside the block.
void walk_ifd(TiffBlock& block, std::size_t offset,
              const std::function<void(const Entry&)>& visit) {
  const std::size_t count = block.u16(offset);
  block.check(offset + 2, count * kEntrySize + 4);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = offset + 2 + i * kEntrySize;
    const Entry entry{std::uint16_t(block.u16(at)), std::uint16_t(block.u16(at + 2)),
                      block.u32(at + 4), at};
    const std::uint64_t bytes = std::uint64_t(type_size(entry.type)) * entry.count;
    if (bytes > 4) {
      if (bytes > UINT32_MAX) throw CodecError("the EXIF block points outside itself");
      block.check(block.u32(at + 8), std::size_t(bytes));
    }
    visit(entry);
  }
}

// Walks IFD0 and the EXIF IFD it points to.
void walk_exif(std::vector<std::byte>& exif,
               const std::function<void(TiffBlock&, const Entry&)>& visit) {
  TiffBlock block(exif);
  std::size_t exif_ifd = 0;
  walk_ifd(block, block.u32(4), [&](const Entry& entry) {
    if (entry.tag == kExifIfd) exif_ifd = block.u32(entry.at + 8);
    visit(block, entry);
  });
  if (exif_ifd != 0) walk_ifd(block, exif_ifd, [&](const Entry& entry) { visit(block, entry); });
}

void set_number(TiffBlock& block, const Entry& entry, std::uint32_t value) {
  if (entry.count != 1) return;
  if (entry.type == kShort && value <= 0xFFFF) block.put(entry.at + 8, 2, value);
  if (entry.type == kLong) block.put(entry.at + 8, 4, value);
}

}  // namespace

void check_exif_block(const std::vector<std::byte>& exif) {
  std::vector<std::byte> copy = exif;
  walk_exif(copy, [](TiffBlock&, const Entry&) {});
}

void set_exif_upright(std::vector<std::byte>& exif) {
  walk_exif(exif, [](TiffBlock& block, const Entry& entry) {
    if (entry.tag == kOrientation) set_number(block, entry, 1);
  });
}

void set_exif_pixel_size(std::vector<std::byte>& exif, int width, int height) {
  walk_exif(exif, [&](TiffBlock& block, const Entry& entry) {
    if (entry.tag == kPixelXDimension) set_number(block, entry, std::uint32_t(width));
    if (entry.tag == kPixelYDimension) set_number(block, entry, std::uint32_t(height));
  });
}

}  // namespace pblur
