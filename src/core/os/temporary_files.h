#pragma once

#include <chrono>
#include <filesystem>

namespace pblur {

// A temporary file that a writer holds under a name until it is renamed into place:
// `.NAME.pblur-HOST-PID-N.tmp` beside `destination`, HOST being this machine's name and PID
// this process's, so that writers on several machines sharing a folder can tell theirs apart.
// While it exists, an interrupting signal's handler can remove it (remove_temporaries_in_flight).
class NamedTemporary {
 public:
  explicit NamedTemporary(const std::filesystem::path& destination);
  ~NamedTemporary();  // removes the file unless it was renamed into place
  NamedTemporary(const NamedTemporary&) = delete;
  NamedTemporary& operator=(const NamedTemporary&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // After the file was renamed into place, with signals held: nothing is left to remove.
  void placed();

 private:
  std::filesystem::path path_;
  int slot_ = -1;
  bool placed_ = false;
};

// A temporary file left by a writer that is gone is removed once it is this old, whichever
// machine wrote it: no writer takes this long between two writes or its rename.
inline constexpr std::chrono::hours kAbandonedTemporaryAge{1};

// Removes from `folder` the temporary files of writers that no longer exist: those named by this
// machine for a process that is not running here, and any of pblur's older than
// kAbandonedTemporaryAge. Another machine's recent temporary files are left alone, since their
// process ids mean nothing here. Never throws.
void remove_abandoned_temporaries(const std::filesystem::path& folder) noexcept;

// Removes the temporary files that this process's writers hold now. Async-signal-safe: for a
// signal handler that ends the process.
void remove_temporaries_in_flight() noexcept;

}  // namespace pblur
