#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace pblur::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal if it was killed
  std::string out;
  std::string err;
  long peak_rss_kib = 0;  // the most memory pblur had resident, in KiB (wait4's ru_maxrss)
};

// Runs the pblur binary with `arguments`, waiting at most `limit` (then kills it and fails the
// test rather than hanging).
CommandResult run_pblur(const std::vector<std::string>& arguments,
                        std::chrono::seconds limit = std::chrono::seconds(120));

// Starts the pblur binary without waiting; stdout and stderr go to files in `folder`.
pid_t start_pblur(const std::vector<std::string>& arguments, const std::filesystem::path& folder);

// Waits for a process started by start_pblur; exit code, or 128 + signal. Where `peak_rss_kib` is
// given, the most memory the process had resident goes there.
int wait_for_pblur(pid_t pid, std::chrono::seconds limit = std::chrono::seconds(120),
                   long* peak_rss_kib = nullptr);

}  // namespace pblur::testing
