#include "core/image/pnm_writer.h"

#include <cstring>
#include <string>

#include "core/image/pnm_samples.h"

namespace pblur {

namespace {

void check_layout(const RowLayout& layout, PnmKind kind) {
  if (layout.bits != 8 && layout.bits != 16) throw CodecError("PNM rows are 8 or 16 bits");
  if (kind == PnmKind::pgm && layout.channels != 1) throw CodecError("a PGM holds gray rows only");
  if (kind != PnmKind::pgm && layout.channels != 1 && layout.channels != 3) {
    throw CodecError("a PPM holds BGR rows only");
  }
  if (kind == PnmKind::ppm && layout.channels != 3) throw CodecError("a PPM holds BGR rows only");
  if (layout.width < 1 || layout.height < 1) throw CodecError("a PNM has at least one pixel");
}

std::string header_of(const RowLayout& layout) {
  return std::string(layout.channels == 1 ? "P5\n" : "P6\n") + std::to_string(layout.width) + " " +
         std::to_string(layout.height) + "\n" + (layout.bits == 16 ? "65535" : "255") + "\n";
}

}  // namespace

PnmWriter::PnmWriter(std::FILE* file, const RowLayout& layout, PnmKind kind)
    : file_(file), layout_(layout) {
  check_layout(layout, kind);
  row_.resize(layout.row_bytes());
  const std::string header = header_of(layout);
  write(header.data(), header.size());
}

void PnmWriter::write(const void* bytes, std::size_t size) {
  if (std::fwrite(bytes, 1, size, file_) != size) throw CodecError("the PNM could not be written");
}

void PnmWriter::write_rows(const std::byte* src, std::size_t stride, int count) {
  check_more_rows(layout_, rows_written_, count);
  for (int i = 0; i < count; ++i, ++rows_written_) {
    std::memcpy(row_.data(), src + std::size_t(i) * stride, row_.size());
    opencv_samples_to_pnm(row_.data(), layout_);
    write(row_.data(), row_.size());
  }
}

void PnmWriter::finish() {
  check_all_rows(layout_, rows_written_);
  if (std::fflush(file_) != 0) throw CodecError("the PNM could not be written");
}

}  // namespace pblur
