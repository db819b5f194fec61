#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pblur::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal if it was killed
  std::string out;
  std::string err;
  long peak_rss_kib = 0;  // the most memory pblur had resident, in KiB (wait4's ru_maxrss)
};

// How to start pblur: the one way tests launch the binary.
struct Launch {
  // Empty: PBLUR_BINARY, or PBLUR_WITH_FAULT_HOOK (the test build) when `environment` sets
  // PBLUR_WORKER_FAULT, which only that build reads.
  std::string binary;
  std::vector<std::string> environment;  // "NAME=value", added to this process's
  std::filesystem::path cwd;             // empty: this process's
  std::optional<uid_t> user;             // run as this user and group (the caller must be root)
  std::optional<rlim_t> open_files;      // RLIMIT_NOFILE
  std::optional<rlim_t> address_space;   // RLIMIT_AS, in bytes
  bool own_process_group = false;        // its pid is then its process group's id
};

// Where a started pblur's stdout and stderr go: to two files, or both to one descriptor (a
// pipe's writing end, say) when `descriptor` is set.
struct Output {
  std::filesystem::path out;
  std::filesystem::path err;
  int descriptor = -1;
};

// The test build of pblur, injecting the fault plan `plan` (see FaultPlan) into its workers.
Launch with_worker_fault(const std::string& plan);

// Runs the pblur binary with `arguments`, waiting at most `limit` (then kills it and fails the
// test rather than hanging).
CommandResult run_pblur(const std::vector<std::string>& arguments,
                        std::chrono::seconds limit = std::chrono::seconds(120));
CommandResult run_pblur(const std::vector<std::string>& arguments, const Launch& launch,
                        std::chrono::seconds limit = std::chrono::seconds(120));

// Starts the pblur binary without waiting; its stdin is /dev/null, and it inherits no descriptor
// of this process but its stdout and stderr.
pid_t start_pblur(const std::vector<std::string>& arguments, const Output& output,
                  const Launch& launch = {});
// ... with stdout and stderr in the files .stdout and .stderr of `folder`.
pid_t start_pblur(const std::vector<std::string>& arguments, const std::filesystem::path& folder,
                  const Launch& launch = {});

// Waits for a process started by start_pblur; exit code, or 128 + signal. Where `peak_rss_kib` is
// given, the most memory the process had resident goes there.
int wait_for_pblur(pid_t pid, std::chrono::seconds limit = std::chrono::seconds(120),
                   long* peak_rss_kib = nullptr);

}  // namespace pblur::testing
