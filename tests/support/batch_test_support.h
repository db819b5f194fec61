#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "cli_runner.h"
#include "test_support.h"

namespace pblur::test {

namespace fs = std::filesystem;

using testing::TemporaryFolder;

// A photo-like test image: smooth gradients plus seeded noise, of OpenCV type `type`.
cv::Mat make_image(int width, int height, int type, unsigned seed);

// Writes `image` at `path` (format from its extension), creating folders; returns the path.
fs::path write_image(const fs::path& path, const cv::Mat& image);

// Copies a file from tests/data (or sample_images with `sample`) to `path`, creating folders.
void copy_test_file(const std::string& name, const fs::path& path, bool sample = false);

// Decodes as pblur does (channels and depth as stored); fails the test if it cannot.
cv::Mat read_image(const fs::path& path);

bool same_pixels(const cv::Mat& a, const cv::Mat& b);

using RunResult = testing::CommandResult;

// Runs the pblur binary with `args` in `cwd`, with `env` added to the environment (see
// testing::Launch).
RunResult run_pblur(const std::vector<std::string>& args, const fs::path& cwd,
                    const std::map<std::string, std::string>& env = {});

// Runs pblur as the user `user` (the caller must be root); its logs are readable by that user.
RunResult run_pblur_as(uid_t user, const std::vector<std::string>& args, const fs::path& cwd);

// Runs pblur with stdout and stderr on one pipe whose reader goes away after `lines` lines
// (as `pblur ... 2>&1 | head -LINES`): what was read, in `out`, and the exit code.
RunResult run_pblur_until_lines(const std::vector<std::string>& args, const fs::path& cwd,
                                std::size_t lines);

// Runs pblur with `args` in `cwd` on a pseudo-terminal `columns` wide: everything it wrote there.
RunResult run_pblur_in_terminal(const std::vector<std::string>& args, const fs::path& cwd,
                                int columns);

// Starts pblur without waiting: its stderr goes to `log`, its stdout to `log` + ".out".
pid_t start_pblur(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& log,
                  const std::map<std::string, std::string>& env = {});

// Waits for a process from start_pblur; its exit code (128 + signal if it was killed).
int wait_for(pid_t pid);

// Every regular file below `root`, as '/'-separated relative paths (hidden files included).
std::set<std::string> files_below(const fs::path& root);

std::string read_text(const fs::path& path);

}  // namespace pblur::test
