#include "core/filters/kernel_file.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pblur {
namespace {

constexpr std::size_t kMaxFileBytes = 64 * 1024;

std::vector<float> numbers_of(std::string line, int line_number) {
  for (char& c : line) {
    if (c == ',' || c == '\t' || c == '\r') c = ' ';
  }
  std::istringstream words(line);
  std::vector<float> numbers;
  std::string word;
  while (words >> word) {
    char* end = nullptr;
    const double value = std::strtod(word.c_str(), &end);
    if (end != word.c_str() + word.size() || !std::isfinite(value) || std::fabs(value) > 1e6)
      throw KernelFileError("line " + std::to_string(line_number) + ": '" + word +
                            "' is not a number from -1e6 to 1e6");
    numbers.push_back(static_cast<float>(value));
  }
  return numbers;
}

std::string contents_of(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw KernelFileError(std::filesystem::exists(path, error) ? "not a regular file"
                                                               : "no such file");
  if (std::filesystem::file_size(path, error) > kMaxFileBytes)
    throw KernelFileError("larger than 64 KiB");
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  if (!file) throw KernelFileError(std::string("cannot read it: ") + std::strerror(errno));
  return text.str();
}

}  // namespace

KernelMatrix read_kernel_file(const std::string& path, int max_side) {
  std::istringstream lines(contents_of(path));
  KernelMatrix kernel;
  std::string line;
  int line_number = 0, first_row_line = 0;
  while (std::getline(lines, line)) {
    ++line_number;
    const std::size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    const std::vector<float> row = numbers_of(line, line_number);
    if (kernel.rows == 0) {
      kernel.cols = int(row.size());
      first_row_line = line_number;
    } else if (int(row.size()) != kernel.cols) {
      throw KernelFileError("line " + std::to_string(line_number) + " has " +
                            std::to_string(row.size()) + " numbers, line " +
                            std::to_string(first_row_line) + " has " + std::to_string(kernel.cols));
    }
    if (++kernel.rows > max_side || kernel.cols > max_side)
      throw KernelFileError("more than " + std::to_string(max_side) + " rows or columns");
    kernel.values.insert(kernel.values.end(), row.begin(), row.end());
  }
  if (kernel.rows == 0) throw KernelFileError("no numbers in it");
  return kernel;
}

}  // namespace pblur
