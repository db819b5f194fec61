#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace pblur {

// The file in an output folder that holds its outputs' records where the file system keeps no
// extended attributes (tmpfs without user xattrs, vfat, some network mounts). Its name has no
// image extension, so no scan reads it as an input.
inline constexpr const char* kManifestName = ".pblur-manifest";

// Whether `folder`, or while it does not exist the nearest folder above it, keeps pblur's
// extended attributes.
bool keeps_extended_attributes(const std::filesystem::path& folder);

// The source records of the outputs below one output folder, by their path below it: one line
// per output ("RECORD<tab>PATH", a backslash or newline in PATH escaped), written atomically.
class OutputManifest {
 public:
  // The records of `output_dir`'s manifest as last saved; none if it has none. A line that
  // cannot be read is left out, so its output counts as unrecorded.
  explicit OutputManifest(std::filesystem::path output_dir);

  // The record of `output`, a path in the output folder.
  std::optional<std::string> record_of(const std::filesystem::path& output) const;
  void set(const std::filesystem::path& output, std::string record);

  // Writes the records set since loading over the manifest as it is now (another run's records
  // kept), atomically; writes nothing if none was set. Throws OutputError.
  void save() const;

 private:
  std::string name_of(const std::filesystem::path& output) const;

  std::filesystem::path output_dir_;
  std::filesystem::path path_;
  std::map<std::string, std::string> records_;
  std::map<std::string, std::string> changed_;
};

}  // namespace pblur
