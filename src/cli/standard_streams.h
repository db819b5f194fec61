#pragma once

#include <optional>
#include <span>
#include <string>

namespace pblur::cli {

// "-" or "FMT:-" ("jpg:-"): standard input or output, FMT naming the format ("" if not given).
std::optional<std::string> standard_stream_format(const std::string& name);

// Standard input read whole into an anonymous memory file, which its path stands for: pblur
// reads it as it reads any file, and it vanishes with the process.
class StandardInputFile {
 public:
  StandardInputFile();
  ~StandardInputFile();
  StandardInputFile(const StandardInputFile&) = delete;
  StandardInputFile& operator=(const StandardInputFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  int descriptor_ = -1;
  std::string path_;
};

// ".jpg", ".png", ...: the extension for the format the file at `path` is in, from its first
// bytes; "" if pblur does not write that format.
std::string extension_of_contents(const std::string& path);

// Writes all of `bytes` to standard output. Throws OutputError.
void write_standard_output(std::span<const unsigned char> bytes);

}  // namespace pblur::cli
