#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/os/file_descriptor.h"
#include "core/os/file_identity.h"
#include "core/os/temporary_files.h"

namespace pblur {

// The extended attribute that holds an output's source record.
inline constexpr const char* kSourceRecordAttribute = "user.pblur.source";

// What writing an output must respect besides its bytes.
struct OutputRules {
  // Files that must never be replaced (the input the output is made from, say), by identity.
  std::vector<FileId> protected_files;
  // Stored with the file as the extended attribute user.pblur.source (see output_record.h);
  // empty: none. Not stored where the file system has no extended attributes.
  std::string source_record;
};

// Why no file may be written at `path` ("it is a FIFO, not a regular file, ..."); nullopt if one
// may: nothing is there, or a regular file that is none of `protected_files`. A FIFO, a device,
// a symbolic link or a folder is never replaced.
std::optional<std::string> replacement_problem(const std::filesystem::path& path,
                                               const std::vector<FileId>& protected_files);

// Throws OutputError naming `path` and the replacement_problem, if there is one.
void check_replaceable(const std::filesystem::path& path,
                       const std::vector<FileId>& protected_files);

// An output being written: its bytes go to a file without a name (O_TMPFILE) in the output's
// folder, or where the file system has none to a named temporary file (see NamedTemporary), and
// it appears under its name, whole, only on commit(). Destroyed before then, it leaves nothing.
class AtomicOutputFile {
 public:
  // Throws OutputError, also when `path` may not be replaced (see check_replaceable).
  AtomicOutputFile(const std::filesystem::path& path, OutputRules rules = {});
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  // Where the bytes go, for writers that take a descriptor.
  int descriptor() const { return fd_.get(); }
  // The same file as a stdio stream, for encoders that write through one; flushed by commit().
  std::FILE* stream();
  void write(std::span<const std::byte> bytes);
  // Flushes the file and renames it into place, after checking again that what is at the path
  // may be replaced; signals are held for the last steps. Throws OutputError.
  void commit();

 private:
  std::filesystem::path path_;
  OutputRules rules_;
  std::unique_ptr<NamedTemporary> named_;
  FileDescriptor fd_;
  std::FILE* stream_ = nullptr;  // over fd_, once asked for
};

// Writes `bytes` to `path` so that the file appears whole or not at all, and an existing file
// there is replaced only by a complete new one (keeping its permissions). The data goes to an
// unnamed file (O_TMPFILE) in the same folder, or where the file system has none to a named
// temporary file (see NamedTemporary), and is renamed into place; check_replaceable runs before
// the data is written and again right before the rename, with signals held for the last steps.
// Throws OutputError.
void write_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes,
                           const OutputRules& rules = {});

}  // namespace pblur
