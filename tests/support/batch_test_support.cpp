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

#include "core/os/file_descriptor.h"

namespace pblur::test {

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

testing::Launch launch_in(const fs::path& cwd, const std::map<std::string, std::string>& env) {
  testing::Launch launch;
  launch.cwd = cwd;
  for (const auto& [name, value] : env) launch.environment.push_back(name + "=" + value);
  return launch;
}

// Runs pblur with its stdout and stderr in files of a folder of its own.
RunResult run_with_logs(const std::vector<std::string>& args, const testing::Launch& launch) {
  const TemporaryFolder logs;
  if (launch.user) chmod(logs.path().c_str(), 0777);
  RunResult result;
  result.exit_code = testing::wait_for_pblur(
      testing::start_pblur(args, testing::Output{logs / "out", logs / "err"}, launch),
      std::chrono::seconds(600), &result.peak_rss_kib);
  result.out = read_text(logs / "out");
  result.err = read_text(logs / "err");
  return result;
}

}  // namespace

int wait_for(pid_t pid) {
  return testing::wait_for_pblur(pid, std::chrono::seconds(600));
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

RunResult run_pblur(const std::vector<std::string>& args, const fs::path& cwd,
                    const std::map<std::string, std::string>& env) {
  return run_with_logs(args, launch_in(cwd, env));
}

RunResult run_pblur_as(uid_t user, const std::vector<std::string>& args, const fs::path& cwd) {
  testing::Launch launch = launch_in(cwd, {});
  launch.user = user;
  return run_with_logs(args, launch);
}

namespace {

// Starts pblur in `cwd` with its stdout and stderr both on `descriptor`, which is closed here once
// pblur has its own copy.
pid_t start_writing_to(FileDescriptor descriptor, const std::vector<std::string>& args,
                       const fs::path& cwd) {
  testing::Output output;
  output.descriptor = descriptor.get();
  return testing::start_pblur(args, output, launch_in(cwd, {}));
}

}  // namespace

RunResult run_pblur_until_lines(const std::vector<std::string>& args, const fs::path& cwd,
                                std::size_t lines) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  FileDescriptor reader(ends[0]);
  const pid_t pid = start_writing_to(FileDescriptor(ends[1]), args, cwd);
  RunResult result;
  std::byte byte;
  while (std::size_t(std::count(result.out.begin(), result.out.end(), '\n')) < lines &&
         reader.read(std::span(&byte, 1)) == 1) {
    result.out += static_cast<char>(byte);
  }
  reader.reset();
  result.exit_code = wait_for(pid);
  return result;
}

RunResult run_pblur_in_terminal(const std::vector<std::string>& args, const fs::path& cwd,
                                int columns) {
  winsize size{};
  size.ws_row = 24;
  size.ws_col = static_cast<unsigned short>(columns);
  int ends[2];
  if (openpty(&ends[0], &ends[1], nullptr, nullptr, &size) != 0) {
    throw std::runtime_error("openpty failed");
  }
  FileDescriptor terminal(ends[0]);
  const pid_t pid = start_writing_to(FileDescriptor(ends[1]), args, cwd);
  RunResult result;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(terminal.get(), buffer, sizeof buffer);
    if (n > 0) result.err.append(buffer, std::size_t(n));
    if (n == 0 || (n < 0 && errno != EINTR)) break;  // EIO once pblur has closed the terminal
  }
  terminal.reset();
  result.exit_code = wait_for(pid);
  return result;
}

pid_t start_pblur(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& log,
                  const std::map<std::string, std::string>& env) {
  return testing::start_pblur(args, testing::Output{log.string() + ".out", log},
                              launch_in(cwd, env));
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
