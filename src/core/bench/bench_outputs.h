#pragma once

#include <filesystem>
#include <string>

namespace pblur {

// A folder of its own under the temporary directory, named `prefix` and six random characters,
// removed with everything in it. Throws OutputError if it cannot be made.
class ScratchFolder {
 public:
  explicit ScratchFolder(const std::string& prefix);
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Why the file `output` differs from the sequential reference's `reference`, or "" if it is the
// same bytes; `name` (the file's name, or "") starts the reason.
std::string compare_files(const std::filesystem::path& reference,
                          const std::filesystem::path& output, const std::string& name);

// Alters one byte in the middle of `path`, so that a check against the reference fails.
void flip_one_byte(const std::filesystem::path& path);

}  // namespace pblur
