#include "core/bench/bench_outputs.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/base/errors.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

ScratchFolder::ScratchFolder(const std::string& prefix) {
  std::string name = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (!mkdtemp(name.data())) {
    throw OutputError("cannot create a temporary folder for the outputs: " +
                      std::string(std::strerror(errno)));
  }
  path_ = name;
}

ScratchFolder::~ScratchFolder() {
  std::error_code error;
  fs::remove_all(path_, error);
}

std::string compare_files(const fs::path& reference, const fs::path& output,
                          const std::string& name) {
  const std::string lead = name.empty() ? "" : name + ": ";
  std::error_code error;
  if (!fs::is_regular_file(reference, error)) return lead + "seq wrote no output to compare with";
  if (!fs::is_regular_file(output, error)) return lead + "no output was written";
  const std::string a = read_bytes(reference), b = read_bytes(output);
  if (a == b) return "";
  const auto first = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  const std::string sizes = a.size() == b.size()
                                ? "both " + std::to_string(a.size())
                                : std::to_string(b.size()) + " against " + std::to_string(a.size());
  return lead + "output differs from seq's (" + sizes + " bytes, the first difference at byte " +
         std::to_string(first.first - a.begin()) + ")";
}

void flip_one_byte(const fs::path& path) {
  std::string bytes = read_bytes(path);
  if (bytes.empty()) return;
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace pblur
