#include "core/image/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

#include "core/base/errors.h"
#include "core/image/image_header.h"
#include "core/os/file_descriptor.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kBytesPerPixel = 32;
constexpr std::uint64_t kMetadataBytes = std::uint64_t{64} << 20;
// Every format's signature, and most headers, lie within the first bytes.
constexpr std::size_t kFirstHeaderLook = std::size_t{64} << 10;
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

[[noreturn]] void refuse(const fs::path& path, const std::string& reason) {
  throw InputError("cannot read '" + path.string() + "': " + reason);
}

int open_input(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) refuse(path, "no such file");
  if (error) refuse(path, error.message());
  if (status.type() == fs::file_type::directory) refuse(path, "it is a folder, not a file");
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) refuse(path, std::strerror(errno));
  return fd;
}

// How far reading may go, and the image that bound is for, to say so.
struct ReadLimit {
  std::uint64_t bytes;
  std::string image;
};

[[noreturn]] void refuse_longer(const fs::path& path, const ReadLimit& limit) {
  refuse(path, "the file is longer than " + limit.image + " can be (" +
                   std::to_string(limit.bytes) + " bytes at most)");
}

// A regular file longer than the limit is refused unread; otherwise room for all of it and the
// one byte more that finds its end.
void prepare_for(int fd, const fs::path& path, const ReadLimit& limit,
                 std::vector<std::byte>& bytes) {
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) return;
  if (std::uint64_t(info.st_size) > limit.bytes) refuse_longer(path, limit);
  bytes.reserve(std::size_t(info.st_size) + 1);
}

// Appends what one read gives, within the room reserved where there is some; false at the end.
bool read_more(int fd, const fs::path& path, std::vector<std::byte>& bytes) {
  const std::size_t before = bytes.size(), room = bytes.capacity() - before;
  const std::size_t count = room > 0 ? std::min(room, kChunkBytes) : kChunkBytes;
  bytes.resize(before + count);
  ssize_t n = 0;
  do {
    n = read(fd, bytes.data() + before, count);
  } while (n < 0 && errno == EINTR);
  const int read_error = errno;
  bytes.resize(before + std::size_t(std::max<ssize_t>(n, 0)));
  if (n < 0) refuse(path, std::strerror(read_error));
  return n > 0;
}

}  // namespace

std::uint64_t largest_file_for(std::uint64_t pixels) {
  constexpr std::uint64_t kMost = std::numeric_limits<std::uint64_t>::max();
  if (pixels > (kMost - kMetadataBytes) / kBytesPerPixel) return kMost;
  return pixels * kBytesPerPixel + kMetadataBytes;
}

std::vector<std::byte> read_input_file(const fs::path& path, std::uint64_t max_pixels) {
  const FileDescriptor fd(open_input(path));
  ReadLimit limit{largest_file_for(max_pixels),
                  "an image of at most " + std::to_string(max_pixels) + " pixels"};
  std::vector<std::byte> bytes;
  prepare_for(fd.get(), path, limit, bytes);
  bool sized = false;
  for (std::size_t next_look = kFirstHeaderLook; read_more(fd.get(), path, bytes);) {
    if (!sized && bytes.size() >= next_look) {
      next_look *= 4;
      const ImageHeader header = read_image_header(bytes);
      if (header.format == ImageFormat::unknown || pixel_count(header) > max_pixels) return bytes;
      if (header.width > 0) {
        sized = true;
        limit = {std::min(limit.bytes, largest_file_for(pixel_count(header))),
                 "an image of " + std::to_string(header.width) + "x" +
                     std::to_string(header.height) + " pixels"};
      }
    }
    if (bytes.size() > limit.bytes) refuse_longer(path, limit);
  }
  if (bytes.empty()) refuse(path, "the file is empty");
  return bytes;
}

}  // namespace pblur
