#pragma once

#include <stdexcept>
#include <string>

namespace pblur {

// An input file that cannot be used: missing, unreadable, not an image, truncated, too large.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An output that cannot be written: missing folder, unknown format, a format that cannot hold
// the image, a failed write.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Work that could not be finished: a strip that kept killing its workers, a failed filter.
class ProcessingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Options that contradict each other or the image (an even median size, a zero worker count).
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Work stopped because the caller asked it to (PoolOptions::stop), typically on a signal.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace pblur
