#include "cli/standard_streams.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/base/errors.h"
#include "core/image/image_header.h"

namespace pblur::cli {
namespace {

// Enough for every header read_image_header parses.
constexpr std::size_t kHeaderBytes = 1 << 16;

void write_all(int descriptor, const unsigned char* data, std::size_t size, const char* what) {
  while (size > 0) {
    const ssize_t written = write(descriptor, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0)
      throw OutputError(std::string("cannot write ") + what + ": " + std::strerror(errno));
    data += written;
    size -= std::size_t(written);
  }
}

}  // namespace

std::optional<std::string> standard_stream_format(const std::string& name) {
  if (name == "-") return std::string();
  if (name.size() > 2 && name.ends_with(":-")) return name.substr(0, name.size() - 2);
  return std::nullopt;
}

StandardInputFile::StandardInputFile() {
  descriptor_ = memfd_create("pblur-standard-input", MFD_CLOEXEC);
  if (descriptor_ < 0)
    throw InputError(std::string("cannot read standard input: ") + std::strerror(errno));
  unsigned char buffer[1 << 16];
  for (;;) {
    const ssize_t got = read(STDIN_FILENO, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      close(descriptor_);
      throw InputError(std::string("cannot read standard input: ") + std::strerror(errno));
    }
    if (got == 0) break;
    write_all(descriptor_, buffer, std::size_t(got), "standard input to memory");
  }
  path_ = "/proc/self/fd/" + std::to_string(descriptor_);
}

StandardInputFile::~StandardInputFile() {
  close(descriptor_);
}

std::string extension_of_contents(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::vector<char> head(kHeaderBytes);
  file.read(head.data(), std::streamsize(head.size()));
  head.resize(std::size_t(file.gcount()));
  const ImageHeader header = read_image_header(std::as_bytes(std::span(head)));
  switch (header.format) {
    case ImageFormat::jpeg:
      return ".jpg";
    case ImageFormat::png:
      return ".png";
    case ImageFormat::bmp:
      return ".bmp";
    case ImageFormat::pnm:
      return ".pnm";
    case ImageFormat::tiff:
      return ".tif";
    case ImageFormat::webp:
      return ".webp";
    case ImageFormat::jpeg2000:
      return ".jp2";
    default:
      return "";
  }
}

void write_standard_output(std::span<const unsigned char> bytes) {
  write_all(STDOUT_FILENO, bytes.data(), bytes.size(), "to standard output");
}

}  // namespace pblur::cli
