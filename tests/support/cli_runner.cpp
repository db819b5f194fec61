#include "cli_runner.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "test_support.h"

extern char** environ;

namespace pblur::testing {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<char*> c_strings(const std::vector<std::string>& words) {
  std::vector<char*> pointers;
  for (const std::string& word : words) pointers.push_back(const_cast<char*>(word.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

std::string binary_for(const Launch& launch) {
  if (!launch.binary.empty()) return launch.binary;
  const bool faulty = std::any_of(
      launch.environment.begin(), launch.environment.end(),
      [](const std::string& entry) { return entry.starts_with("PBLUR_WORKER_FAULT="); });
  return faulty ? PBLUR_WITH_FAULT_HOOK : PBLUR_BINARY;
}

// This process's environment with `extra` added; an entry of `extra` replaces one of the same
// name.
std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
  const auto name = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  std::vector<std::string> environment;
  for (char** entry = environ; *entry; ++entry) {
    const std::string text = *entry;
    const bool replaced = std::any_of(extra.begin(), extra.end(),
                                      [&](const std::string& e) { return name(e) == name(text); });
    if (!replaced) environment.push_back(text);
  }
  environment.insert(environment.end(), extra.begin(), extra.end());
  return environment;
}

void set_limit(int resource, rlim_t value) {
  const rlimit limit{value, value};
  setrlimit(resource, &limit);
}

// In the child, before exec: only async-signal-safe calls. `out` and `err` are the paths of
// `output`, made before the fork.
void set_up_child(const Output& output, const char* out, const char* err, const char* cwd,
                  const Launch& launch) {
  const int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  const int in_fd = open("/dev/null", O_RDONLY);
  const int out_fd = output.descriptor >= 0 ? output.descriptor : open(out, flags, 0644);
  const int err_fd = output.descriptor >= 0 ? output.descriptor : open(err, flags, 0644);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0 || (*cwd && chdir(cwd) != 0)) _exit(127);
  dup2(in_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  close_range(3, ~0u, 0);  // pblur gets no descriptor of this test (or of ctest) but its own
  if (launch.own_process_group) setpgid(0, 0);
  if (launch.open_files) set_limit(RLIMIT_NOFILE, *launch.open_files);
  if (launch.address_space) set_limit(RLIMIT_AS, *launch.address_space);
  if (launch.user &&
      (setgroups(0, nullptr) != 0 || setgid(*launch.user) != 0 || setuid(*launch.user) != 0)) {
    _exit(127);
  }
}

}  // namespace

Launch with_worker_fault(const std::string& plan) {
  Launch launch;
  launch.environment.push_back("PBLUR_WORKER_FAULT=" + plan);
  return launch;
}

pid_t start_pblur(const std::vector<std::string>& arguments, const Output& output,
                  const Launch& launch) {
  std::vector<std::string> words = {binary_for(launch)};
  words.insert(words.end(), arguments.begin(), arguments.end());
  const std::vector<std::string> environment = environment_with(launch.environment);
  const std::vector<char*> argv = c_strings(words), envp = c_strings(environment);
  const std::string out = output.out.string(), err = output.err.string();
  const std::string cwd = launch.cwd.string();
  const pid_t pid = fork();
  if (pid == 0) {
    set_up_child(output, out.c_str(), err.c_str(), cwd.c_str(), launch);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  if (pid < 0) ADD_FAILURE() << "cannot start " << words[0];
  return pid;
}

pid_t start_pblur(const std::vector<std::string>& arguments, const std::filesystem::path& folder,
                  const Launch& launch) {
  return start_pblur(arguments, Output{folder / ".stdout", folder / ".stderr"}, launch);
}

int wait_for_pblur(pid_t pid, std::chrono::seconds limit, long* peak_rss_kib) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, WNOHANG, &usage) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "pblur did not finish within " << limit.count() << " s";
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (peak_rss_kib) *peak_rss_kib = usage.ru_maxrss;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

CommandResult run_pblur(const std::vector<std::string>& arguments, std::chrono::seconds limit) {
  return run_pblur(arguments, Launch{}, limit);
}

CommandResult run_pblur(const std::vector<std::string>& arguments, const Launch& launch,
                        std::chrono::seconds limit) {
  TemporaryFolder capture;
  CommandResult result;
  result.exit_code =
      wait_for_pblur(start_pblur(arguments, capture.path(), launch), limit, &result.peak_rss_kib);
  result.out = read_text(capture / ".stdout");
  result.err = read_text(capture / ".stderr");
  return result;
}

}  // namespace pblur::testing
