#include "core/image/pnm_reader.h"

#include <cctype>
#include <climits>
#include <cstdint>
#include <string>

#include "core/image/pnm_samples.h"

namespace pblur {

bool is_binary_pnm(std::span<const std::byte> signature) {
  return signature.size() >= 3 && signature[0] == std::byte{'P'} &&
         (signature[1] == std::byte{'5'} || signature[1] == std::byte{'6'}) &&
         std::isspace(int(signature[2]));
}

PnmReader::PnmReader(std::FILE* file) : source_(file) {
  read_header();
}

PnmReader::PnmReader(std::span<const std::byte> bytes) : source_(bytes) {
  read_header();
}

int PnmReader::next_header_byte() {
  const int code = source_.get();
  if (code < 0) throw CodecError("the header ends early");
  return code;
}

// OpenCV 4.6's ReadNumber: skips whitespace and comments, reads digits, and swallows the one
// byte after them.
int PnmReader::read_number() {
  int code = next_header_byte();
  while (!std::isdigit(code)) {
    if (code == '#') {
      do code = next_header_byte();
      while (code != '\n' && code != '\r');
      code = next_header_byte();
    } else if (std::isspace(code)) {
      while (std::isspace(code)) code = next_header_byte();
    } else {
      throw CodecError("the header holds a byte that is not a number (" + std::to_string(code) +
                       ")");
    }
  }
  std::int64_t value = 0;
  do {
    value = value * 10 + (code - '0');
    if (value > INT_MAX) throw CodecError("a number in the header is too large");
    code = next_header_byte();
  } while (std::isdigit(code));
  return int(value);
}

void PnmReader::read_header() {
  const int p = next_header_byte(), kind = next_header_byte();
  if (p != 'P' || (kind != '5' && kind != '6')) throw CodecError("not a binary PGM or PPM");
  layout_.channels = kind == '5' ? 1 : 3;
  layout_.width = read_number();
  layout_.height = read_number();
  const int maxval = read_number();
  if (layout_.width <= 0 || layout_.height <= 0) throw CodecError("the image has no pixels");
  if (maxval <= 0 || maxval > 65535) throw CodecError("maxval is outside 1 to 65535");
  layout_.bits = maxval > 255 ? 16 : 8;
}

void PnmReader::read_rows(std::byte* dst, std::size_t stride, int count) {
  check_more_rows(layout_, rows_read_, count);
  const std::size_t row_bytes = layout_.row_bytes();
  for (int i = 0; i < count; ++i, ++rows_read_) {
    std::byte* row = dst + std::size_t(i) * stride;
    if (source_.read(row, row_bytes) != row_bytes) {
      throw CodecError("the file ends in row " + std::to_string(rows_read_ + 1) + " of " +
                       std::to_string(layout_.height));
    }
    pnm_samples_to_opencv(row, layout_);
  }
}

}  // namespace pblur
