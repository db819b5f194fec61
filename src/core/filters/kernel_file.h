#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace pblur {

// A convolution kernel read from a text file.
struct KernelMatrix {
  int rows = 0;
  int cols = 0;
  std::vector<float> values;  // row by row
};

// Why a kernel file cannot be used, as a phrase: "line 3 has 2 numbers, line 1 has 3".
class KernelFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads rows of numbers separated by spaces, tabs or commas; blank lines and lines starting with
// '#' are skipped. Every row has the same count, at most `max_side` rows and columns. Throws
// KernelFileError.
KernelMatrix read_kernel_file(const std::string& path, int max_side);

}  // namespace pblur
