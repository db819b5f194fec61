#include "batch_test_support.h"

#include <fcntl.h>
#include <grp.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace pblur::test {

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "pblur-batch-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code error;
  fs::remove_all(path_, error);
}

cv::Mat make_image(int width, int height, int type, unsigned seed) {
  cv::Mat image(height, width, type);
  cv::RNG rng(seed);
  const double top = CV_MAT_DEPTH(type) == CV_16U ? 65535.0 : 255.0;
  rng.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(top));
  cv::Mat smooth;
  cv::GaussianBlur(image, smooth, cv::Size(0, 0), 3.0);
  cv::addWeighted(smooth, 0.8, image, 0.2, 0.0, image);
  return image;
}

fs::path write_image(const fs::path& path, const cv::Mat& image) {
  fs::create_directories(path.parent_path());
  if (!cv::imwrite(path.string(), image)) throw std::runtime_error("cannot write " + path.string());
  return path;
}

void copy_test_file(const std::string& name, const fs::path& path, bool sample) {
  fs::create_directories(path.parent_path());
  const fs::path source = fs::path(sample ? PBLUR_SAMPLE_IMAGES : PBLUR_TEST_DATA) / name;
  fs::copy_file(source, path, fs::copy_options::overwrite_existing);
}

cv::Mat read_image(const fs::path& path) {
  cv::Mat image = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  EXPECT_FALSE(image.empty()) << "cannot decode " << path;
  return image;
}

bool same_pixels(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type() || a.empty()) return false;
  cv::Mat difference;
  cv::absdiff(a, b, difference);
  return cv::countNonZero(difference.reshape(1)) == 0;
}

namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> environment;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    if (!extra.count(entry.substr(0, entry.find('=')))) environment.push_back(entry);
  }
  for (const auto& [name, value] : extra) environment.push_back(name + "=" + value);
  return environment;
}

// Where a child's output goes, and as whom it runs.
struct ChildSetup {
  fs::path out, err;          // files for stdout and stderr
  int pipe = -1;              // or this descriptor for both
  std::optional<uid_t> user;  // setuid to this user first
};

void set_up_child(const fs::path& cwd, const ChildSetup& setup) {
  const int out_fd =
      setup.pipe >= 0 ? setup.pipe : open(setup.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd =
      setup.pipe >= 0 ? setup.pipe : open(setup.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out_fd < 0 || err_fd < 0 || chdir(cwd.c_str()) != 0) _exit(127);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  if (setup.user &&
      (setgroups(0, nullptr) != 0 || setgid(*setup.user) != 0 || setuid(*setup.user) != 0)) {
    _exit(127);
  }
}

// Forks and execs pblur as `setup` says.
pid_t spawn(const std::vector<std::string>& args, const fs::path& cwd, const ChildSetup& setup,
            const std::map<std::string, std::string>& env) {
  // PBLUR_WORKER_FAULT is read only by the test build of pblur.
  std::vector<std::string> argv{env.count("PBLUR_WORKER_FAULT") ? PBLUR_WITH_FAULT_HOOK
                                                                : PBLUR_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> environment = environment_with(env);
  std::vector<char*> argv_c = c_strings(argv), env_c = c_strings(environment);
  const pid_t pid = fork();
  if (pid == 0) {
    set_up_child(cwd, setup);
    execve(argv_c[0], argv_c.data(), env_c.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

RunResult run_pblur(const std::vector<std::string>& args, const fs::path& cwd,
                    const std::map<std::string, std::string>& env) {
  const TempDir logs;
  RunResult result;
  result.exit_code = wait_for(spawn(args, cwd, {logs / "out", logs / "err", -1, {}}, env));
  result.out = read_text(logs / "out");
  result.err = read_text(logs / "err");
  return result;
}

RunResult run_pblur_as(uid_t user, const std::vector<std::string>& args, const fs::path& cwd) {
  const TempDir logs;
  chmod(logs.path().c_str(), 0777);
  RunResult result;
  result.exit_code = wait_for(spawn(args, cwd, {logs / "out", logs / "err", -1, user}, {}));
  result.out = read_text(logs / "out");
  result.err = read_text(logs / "err");
  return result;
}

RunResult run_pblur_until_lines(const std::vector<std::string>& args, const fs::path& cwd,
                                std::size_t lines) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = spawn(args, cwd, {{}, {}, ends[1], {}}, {});
  close(ends[1]);
  RunResult result;
  char byte;
  while (std::size_t(std::count(result.out.begin(), result.out.end(), '\n')) < lines &&
         read(ends[0], &byte, 1) == 1) {
    result.out += byte;
  }
  close(ends[0]);
  result.exit_code = wait_for(pid);
  return result;
}

RunResult run_pblur_in_terminal(const std::vector<std::string>& args, const fs::path& cwd,
                                int columns) {
  std::vector<std::string> argv{PBLUR_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> argv_c = c_strings(argv);
  winsize size{};
  size.ws_row = 24;
  size.ws_col = static_cast<unsigned short>(columns);
  int terminal = -1;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, &size);
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(127);
    execv(argv_c[0], argv_c.data());
    _exit(127);
  }
  RunResult result;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(terminal, buffer, sizeof buffer);
    if (n > 0) result.err.append(buffer, std::size_t(n));
    if (n == 0 || (n < 0 && errno != EINTR)) break;  // EIO once pblur has closed the terminal
  }
  close(terminal);
  result.exit_code = wait_for(pid);
  return result;
}

pid_t start_pblur(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& log,
                  const std::map<std::string, std::string>& env) {
  return spawn(args, cwd, {log.string() + ".out", log, -1, {}}, env);
}

std::set<std::string> files_below(const fs::path& root) {
  std::set<std::string> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file())
      files.insert(entry.path().lexically_relative(root).generic_string());
  }
  return files;
}

}  // namespace pblur::test
