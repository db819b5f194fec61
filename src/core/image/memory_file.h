#pragma once

#include <cstddef>
#include <cstdio>
#include <vector>

#include <opencv2/core.hpp>

namespace pblur {

// A FILE* whose bytes go to memory, for the codecs that write to a FILE*. It seeks as a file
// does, writing past the end extends it, and a seek back to patch a header (libtiff's) keeps
// what follows (open_memstream would cut the file at the position it is closed at).
class MemoryFile {
 public:
  MemoryFile();  // throws std::bad_alloc if no stream can be opened
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  std::FILE* get() const { return file_; }
  // Closes the stream and returns what was written; throws std::bad_alloc if it could not grow.
  std::vector<uchar> bytes();

 private:
  struct Buffer {
    std::vector<uchar> bytes;
    std::size_t at = 0;
    bool failed = false;
  };
  static ssize_t write(void* cookie, const char* data, std::size_t size);
  static int seek(void* cookie, off64_t* offset, int whence);

  Buffer buffer_;
  std::FILE* file_ = nullptr;
};

}  // namespace pblur
