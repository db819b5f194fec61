#include "core/batch/output_manifest.h"

#include <sys/xattr.h>

#include <cerrno>
#include <fstream>
#include <span>
#include <sstream>

#include "core/os/atomic_output.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

std::string escaped(const std::string& name) {
  std::string text;
  for (const char c : name) {
    if (c == '\\') {
      text += "\\\\";
    } else if (c == '\n') {
      text += "\\n";
    } else {
      text += c;
    }
  }
  return text;
}

std::optional<std::string> unescaped(const std::string& text) {
  std::string name;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      name += text[i];
    } else if (i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
      name += text[++i] == 'n' ? '\n' : '\\';
    } else {
      return std::nullopt;
    }
  }
  return name;
}

std::map<std::string, std::string> read_manifest(const fs::path& path) {
  std::map<std::string, std::string> records;
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) continue;
    if (const auto name = unescaped(line.substr(tab + 1)); name && !name->empty())
      records[*name] = line.substr(0, tab);
  }
  return records;
}

// `folder` without a trailing separator, so that paths inside it are relative to it alone.
fs::path without_trailing_separator(const fs::path& folder) {
  const fs::path normal = folder.lexically_normal();
  return normal.has_filename() || !normal.has_relative_path() ? normal : normal.parent_path();
}

}  // namespace

bool keeps_extended_attributes(const fs::path& folder) {
  fs::path probe = folder.empty() ? fs::path(".") : folder;
  std::error_code error;
  while (!fs::exists(probe, error) && probe.has_relative_path() && probe.has_parent_path())
    probe = probe.parent_path();
  if (getxattr(probe.c_str(), kSourceRecordAttribute, nullptr, 0) >= 0) return true;
  return errno != ENOTSUP && errno != EOPNOTSUPP;
}

OutputManifest::OutputManifest(fs::path output_dir)
    : output_dir_(without_trailing_separator(output_dir)),
      path_(output_dir_ / kManifestName),
      records_(read_manifest(path_)) {}

std::string OutputManifest::name_of(const fs::path& output) const {
  return output.lexically_normal().lexically_relative(output_dir_).generic_string();
}

std::optional<std::string> OutputManifest::record_of(const fs::path& output) const {
  const auto found = records_.find(name_of(output));
  if (found == records_.end()) return std::nullopt;
  return found->second;
}

void OutputManifest::set(const fs::path& output, std::string record) {
  records_[name_of(output)] = record;
  changed_[name_of(output)] = std::move(record);
}

void OutputManifest::save() const {
  if (changed_.empty()) return;
  std::map<std::string, std::string> records = read_manifest(path_);
  for (const auto& [name, record] : changed_) records[name] = record;
  std::ostringstream text;
  for (const auto& [name, record] : records) text << record << '\t' << escaped(name) << '\n';
  const std::string bytes = text.str();
  write_file_atomically(path_, std::as_bytes(std::span(bytes)));
}

}  // namespace pblur
