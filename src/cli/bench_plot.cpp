#include "cli/bench_plot.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/base/errors.h"

extern char** environ;

namespace pblur::cli {
namespace {

namespace fs = std::filesystem;

std::string python() {
  const char* chosen = std::getenv("PBLUR_PYTHON");
  return chosen && *chosen ? chosen : "/usr/bin/python3";
}

// The exit status of `argv` run with its stdout and stderr in `log` (nothing kept if empty);
// -1 if it could not be started or did not exit.
int run_program(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const char* target = log.empty() ? "/dev/null" : log.c_str();
  posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool is_inside(const fs::path& path, const fs::path& folder) {
  const auto ends = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
  return ends.first == folder.end();
}

// The script installed beside the binary (PREFIX/bin/pblur, PREFIX/share/pblur/plot_bench.py),
// or, for a binary in the build tree, the source tree's.
fs::path plot_script() {
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (error) return PBLUR_SOURCE_PLOT_SCRIPT;
  const fs::path installed =
      (binary.parent_path() / "../share/pblur/plot_bench.py").lexically_normal();
  if (!fs::exists(installed) && is_inside(binary, PBLUR_BUILD_DIR)) {
    return PBLUR_SOURCE_PLOT_SCRIPT;
  }
  return installed;
}

std::string last_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

// A file name for the script's messages, removed when this goes.
class TemporaryLog {
 public:
  TemporaryLog() {
    std::string name = (fs::temp_directory_path() / "pblur-plot-XXXXXX").string();
    const int fd = mkstemp(name.data());
    if (fd < 0)
      throw OutputError("cannot create a temporary file: " + std::string(std::strerror(errno)));
    close(fd);
    path_ = name;
  }
  ~TemporaryLog() { unlink(path_.c_str()); }
  TemporaryLog(const TemporaryLog&) = delete;
  TemporaryLog& operator=(const TemporaryLog&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

void check_plotting_available() {
  const fs::path script = plot_script();
  if (!fs::exists(script)) {
    throw OutputError("--plot needs " + script.string() + ", which is missing");
  }
  if (run_program({python(), "-c", "import matplotlib"}, "") != 0) {
    throw OutputError("--plot needs matplotlib, which " + python() +
                      " cannot import (Debian package python3-matplotlib; tools/setup.sh "
                      "installs it)");
  }
}

void plot_bench(const fs::path& json, const fs::path& output) {
  const TemporaryLog log;
  const int status =
      run_program({python(), plot_script().string(), json.string(), output.string()}, log.path());
  if (status == 0) return;
  const std::string reason = last_line(log.path());
  throw OutputError("cannot draw '" + output.string() +
                    "': " + (reason.empty() ? "plot_bench.py failed" : reason));
}

}  // namespace pblur::cli
