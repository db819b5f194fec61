// What pblur must never do to a user's files, whatever names, links, mounts, special files and
// file systems stand in its way; run as a user would run it.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "batch_test_support.h"
#include "test_support.h"

namespace pblur::test {
namespace {

using Strings = std::vector<std::string>;

constexpr int kUsageError = 2, kBadOutput = 4, kSomeFailed = 5;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

int line_count(const std::string& text) {
  return int(std::count(text.begin(), text.end(), '\n'));
}

// Every file below `root` with its bytes: to check that inputs are byte-identical afterwards.
std::map<std::string, std::string> contents_below(const fs::path& root) {
  std::map<std::string, std::string> contents;
  for (const std::string& name : files_below(root)) contents[name] = read_text(root / name);
  return contents;
}

// Names in `folder` that begin with a dot: temporary files left behind.
std::set<std::string> hidden_files(const fs::path& folder) {
  std::set<std::string> hidden;
  for (const std::string& name : files_below(folder)) {
    if (fs::path(name).filename().string().front() == '.') hidden.insert(name);
  }
  return hidden;
}

std::set<std::string> shared_memory_files() {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator("/dev/shm")) names.insert(entry.path().string());
  return names;
}

fs::file_type type_of(const fs::path& path) {
  return fs::symlink_status(path).type();
}

void make_inputs(const fs::path& in) {
  write_image(in / "a.png", make_image(32, 24, CV_8UC3, 1));
  write_image(in / "b.png", make_image(32, 24, CV_8UC3, 2));
}

// Runs pblur with the shim that takes O_TMPFILE away, as on NFS, CIFS or vfat.
std::map<std::string, std::string> without_tmpfile(const std::string& stall_marker = "") {
  std::map<std::string, std::string> env{{"LD_PRELOAD", PBLUR_NO_TMPFILE_SHIM}};
  if (!stall_marker.empty()) env["PBLUR_TEST_STALL_FSYNC"] = stall_marker;
  return env;
}

bool wait_for_file(const fs::path& path) {
  for (int i = 0; i < 6000 && !fs::exists(path); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return fs::exists(path);
}

// Item 1: an output never lands on an input or on the report; the report never on an input.
TEST(FileSafety, OutputsNeverLandOnInputsOrTheReport) {
  const TemporaryFolder dir;
  make_inputs(dir / "in");
  ASSERT_EQ(run_pblur({"batch", "in", "out"}, dir.path()).exit_code, 0);
  // An input that is a symbolic link to its own output: filtered again by every rerun before.
  fs::copy_file(dir / "out/a.png", dir / "out/x.png");
  fs::create_symlink("../out/x.png", dir / "in/x.png");
  const auto inputs = contents_below(dir / "in");
  const auto outputs = contents_below(dir / "out");
  RunResult run = run_pblur({"batch", "in", "out", "--overwrite"}, dir.path());
  EXPECT_EQ(run.exit_code, kUsageError);
  EXPECT_EQ(run.err,
            "pblur: error: 'x.png' would be written over the input 'out/x.png' (the same file by "
            "another name); write the outputs to another folder\n");
  fs::remove(dir / "in/x.png");
  fs::remove(dir / "out/x.png");

  run = run_pblur({"batch", "in", "out", "--overwrite", "--report", "in/a.png"}, dir.path());
  EXPECT_EQ(run.exit_code, kBadOutput);
  EXPECT_EQ(run.err,
            "pblur: error: cannot write the report 'in/a.png': it is one of the inputs (the same "
            "file by another name)\n");
  run = run_pblur({"batch", "in", "out", "--overwrite", "--report", "out/b.png"}, dir.path());
  EXPECT_EQ(run.exit_code, kBadOutput);
  EXPECT_EQ(run.err,
            "pblur: error: cannot write the report 'out/b.png': it is the output of "
            "'b.png'\n");
  fs::remove(dir / "in/x.png");
  EXPECT_EQ(contents_below(dir / "in"),
            (std::map<std::string, std::string>{{"a.png", inputs.at("a.png")},
                                                {"b.png", inputs.at("b.png")}}));
  EXPECT_EQ(contents_below(dir / "out").at("a.png"), outputs.at("a.png"));
  EXPECT_TRUE(hidden_files(dir / "out").empty());

  // The single command writes INPUT over itself when asked (read whole first, replaced whole),
  // and a hard link is a name of its own: the other name keeps the original.
  fs::create_hard_link(dir / "in/a.png", dir / "hard.png");
  run = run_pblur({"hard.png", "hard.png"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(read_text(dir / "in/a.png"), inputs.at("a.png"));
  EXPECT_NE(read_text(dir / "hard.png"), inputs.at("a.png"));
  EXPECT_TRUE(hidden_files(dir.path()).empty());
}

// Item 1, through a bind mount: INPUT_DIR under another name is INPUT_DIR.
TEST(FileSafety, BindMountOfTheInputFolderIsTheInputFolder) {
  if (geteuid() != 0) GTEST_SKIP() << "bind mounts need root";
  const TemporaryFolder dir;
  make_inputs(dir / "in");
  fs::create_directories(dir / "in/sub");
  fs::create_directories(dir / "alias");
  if (mount((dir / "in").c_str(), (dir / "alias").c_str(), nullptr, MS_BIND, nullptr) != 0)
    GTEST_SKIP() << "cannot bind-mount here: " << std::strerror(errno);
  const auto inputs = contents_below(dir / "in");
  const RunResult same = run_pblur({"batch", "in", "alias"}, dir.path());
  const RunResult inside = run_pblur({"batch", "in", "alias/sub", "-r"}, dir.path());
  const RunResult single = run_pblur({"alias/a.png", "in/a.png", "--sigma", "3"}, dir.path());
  umount2((dir / "alias").c_str(), MNT_DETACH);
  EXPECT_EQ(same.exit_code, kUsageError);
  EXPECT_EQ(same.err,
            "pblur: error: OUTPUT_DIR 'alias' is INPUT_DIR: the outputs would be read as inputs "
            "by the next run; write them to another folder\n");
  EXPECT_EQ(inside.exit_code, kUsageError);
  EXPECT_TRUE(contains(inside.err, "OUTPUT_DIR 'alias/sub' is inside INPUT_DIR 'in'"))
      << inside.err;
  // The single command may write INPUT over itself, by any name: documented, and whole.
  EXPECT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(read_text(dir / "in/b.png"), inputs.at("b.png"));
  EXPECT_NE(read_text(dir / "in/a.png"), inputs.at("a.png"));
  EXPECT_EQ(files_below(dir / "in"), (std::set<std::string>{"a.png", "b.png"}));
}

// Item 2: a FIFO, a device, a symbolic link or a folder where an output or the report goes is
// refused and left as it is; `--report -` and `--report /dev/stdout` mean standard output.
TEST(FileSafety, SpecialFilesAreNeverReplaced) {
  const TemporaryFolder dir;
  make_inputs(dir / "in");
  write_image(dir / "in/c.png", make_image(32, 24, CV_8UC3, 3));
  write_image(dir / "in/d.png", make_image(32, 24, CV_8UC3, 4));
  write_image(dir / "in/e.png", make_image(32, 24, CV_8UC3, 5));
  const auto inputs = contents_below(dir / "in");
  fs::create_directories(dir / "out/c.png");
  ASSERT_EQ(mkfifo((dir / "out/a.png").c_str(), 0644), 0);
  fs::create_symlink("/proc/self/fd/1", dir / "out/b.png");
  const bool root = geteuid() == 0;
  if (root) {
    ASSERT_EQ(mknod((dir / "out/d.png").c_str(), S_IFCHR | 0644, makedev(1, 3)), 0);
  }
  const auto shm_before = shared_memory_files();

  const RunResult run = run_pblur({"batch", "in", "out", "-q"}, dir.path());
  EXPECT_EQ(run.exit_code, kSomeFailed);
  std::string expected =
      "pblur: error: cannot write 'out/a.png': it is a FIFO, not a regular file, and pblur "
      "replaces only regular files\n"
      "pblur: error: cannot write 'out/b.png': it is a symbolic link, not a regular file, and "
      "pblur replaces only regular files\n"
      "pblur: error: cannot write 'out/c.png': it is a folder, not a regular file, and pblur "
      "replaces only regular files\n";
  if (root) {
    expected +=
        "pblur: error: cannot write 'out/d.png': it is a character device, not a regular "
        "file, and pblur replaces only regular files\n";
  }
  EXPECT_EQ(run.err, expected);
  EXPECT_EQ(type_of(dir / "out/a.png"), fs::file_type::fifo);
  EXPECT_EQ(type_of(dir / "out/b.png"), fs::file_type::symlink);
  EXPECT_EQ(type_of(dir / "out/c.png"), fs::file_type::directory);
  if (root) {
    EXPECT_EQ(type_of(dir / "out/d.png"), fs::file_type::character);
  }
  EXPECT_EQ(type_of(dir / "out/e.png"), fs::file_type::regular);  // the rest is done
  EXPECT_EQ(contents_below(dir / "in"), inputs);
  EXPECT_TRUE(hidden_files(dir / "out").empty());
  EXPECT_EQ(shared_memory_files(), shm_before);

  const RunResult report_fifo =
      run_pblur({"batch", "in", "out2", "--report", "out/a.png"}, dir.path());
  EXPECT_EQ(report_fifo.exit_code, kBadOutput);
  EXPECT_EQ(report_fifo.err,
            "pblur: error: cannot write the report 'out/a.png': it is a FIFO, not a regular file, "
            "and pblur replaces only regular files\n");
  EXPECT_EQ(type_of(dir / "out/a.png"), fs::file_type::fifo);
  EXPECT_FALSE(fs::exists(dir / "out2"));

  const RunResult single = run_pblur({"in/a.png", "out/a.png"}, dir.path());
  EXPECT_EQ(single.exit_code, kBadOutput);
  EXPECT_EQ(single.err,
            "pblur: error: cannot write 'out/a.png': it is a FIFO, not a regular file, and pblur "
            "replaces only regular files\n");
  EXPECT_EQ(type_of(dir / "out/a.png"), fs::file_type::fifo);

  for (const std::string report : {"-", "/dev/stdout"}) {
    const RunResult to_stdout =
        run_pblur({"batch", "in", "out3", "--overwrite", "-q", "--report", report}, dir.path());
    EXPECT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
    EXPECT_EQ(to_stdout.err, "");
    EXPECT_EQ(nlohmann::json::parse(to_stdout.out)["processed"], 5) << report;
    EXPECT_FALSE(fs::exists(dir / "-"));
  }
}

// Makes `depth` nested folders named `name` below `top`, through descriptors (the path grows
// past PATH_MAX), with a PNG file at the bottom; returns the relative path of the bottom folder.
std::string make_deep_folders(const fs::path& top, const std::string& name, int depth) {
  int folder = open(top.c_str(), O_DIRECTORY | O_RDONLY);
  std::string relative;
  for (int i = 0; i < depth; ++i) {
    mkdirat(folder, name.c_str(), 0755);
    const int next = openat(folder, name.c_str(), O_DIRECTORY | O_RDONLY);
    close(folder);
    folder = next;
    relative += (relative.empty() ? "" : "/") + name;
  }
  const std::string png = read_text(write_image(top / "../deep.png", make_image(8, 8, CV_8UC3, 9)));
  const int file = openat(folder, "deep.png", O_WRONLY | O_CREAT, 0644);
  EXPECT_EQ(write(file, png.data(), png.size()), ssize_t(png.size()));
  close(file);
  close(folder);
  return relative;
}

// Removes a tree too deep for paths, one folder at a time through descriptors.
void remove_deep(int parent, const char* name) {
  const int folder = openat(parent, name, O_DIRECTORY | O_RDONLY | O_NOFOLLOW);
  if (folder < 0) {
    unlinkat(parent, name, 0);
    return;
  }
  Strings names;
  for (const auto& entry : fs::directory_iterator("/proc/self/fd/" + std::to_string(folder)))
    names.push_back(entry.path().filename());
  for (const std::string& entry : names) remove_deep(folder, entry.c_str());
  close(folder);
  unlinkat(parent, name, AT_REMOVEDIR);
}

// Item 8: an unreadable subfolder, a path longer than PATH_MAX and a file where an output
// subfolder must go are each that path's failure, named in one short line; the rest is done.
TEST(FileSafety, BadPathsFailAloneAndTheRestIsDone) {
  const TemporaryFolder dir;
  chmod(dir.path().c_str(), 0777);  // for the unprivileged user the test runs pblur as
  make_inputs(dir / "in");
  write_image(dir / "in/locked/hidden.png", make_image(8, 8, CV_8UC3, 3));
  chmod((dir / "in/locked").c_str(), 0);
  write_image(dir / "in/blocked/c.png", make_image(8, 8, CV_8UC3, 4));
  fs::create_directories(dir / "out");
  std::ofstream(dir / "out/blocked") << "a file where a folder must go\n";
  const std::string deep = make_deep_folders(dir / "in", std::string(250, 'd'), 20);
  for (const char* folder : {"in", "out", "in/blocked"}) chmod((dir / folder).c_str(), 0777);
  const auto inputs = contents_below(dir / "in/blocked");

  const Strings args{"batch", "in", "out", "-r", "--report", "report.json"};
  const bool root = geteuid() == 0;
  const RunResult run = root ? run_pblur_as(65534, args, dir.path()) : run_pblur(args, dir.path());
  chmod((dir / "in/locked").c_str(), 0755);
  EXPECT_EQ(run.exit_code, kSomeFailed) << run.err;
  EXPECT_TRUE(contains(run.err,
                       "pblur: error: cannot read the folder 'in/locked': Permission "
                       "denied\n"))
      << run.err;
  EXPECT_TRUE(contains(run.err,
                       "pblur: error: cannot write 'out/blocked/c.png': cannot create "
                       "the folder 'out/blocked': 'out/blocked' is a file, not a "
                       "folder\n"))
      << run.err;
  EXPECT_TRUE(contains(run.err, ": File name too long\n")) << run.err;
  EXPECT_TRUE(contains(run.err, "2 processed, 0 skipped, 3 failed")) << run.err;
  std::istringstream lines(run.err);
  for (std::string line; std::getline(lines, line);) EXPECT_LT(line.size(), 400u) << line;

  const auto report = nlohmann::json::parse(read_text(dir / "report.json"));
  EXPECT_EQ(report["failed"], 3);
  EXPECT_EQ(report["processed"], 2);
  std::map<std::string, std::string> statuses;
  for (const auto& file : report["files"]) statuses[file["path"]] = file["status"];
  EXPECT_EQ(statuses.at("locked"), "failed");
  EXPECT_EQ(statuses.at("blocked/c.png"), "failed");
  EXPECT_EQ(statuses.at("a.png"), "processed");
  EXPECT_EQ(statuses.size(), 5u);
  EXPECT_EQ(files_below(dir / "out"), (std::set<std::string>{"a.png", "b.png", "blocked"}));
  EXPECT_EQ(read_text(dir / "out/blocked"), "a file where a folder must go\n");
  EXPECT_EQ(contents_below(dir / "in/blocked"), inputs);
  const int top = open((dir / "in").c_str(), O_DIRECTORY | O_RDONLY);
  remove_deep(top, deep.substr(0, deep.find('/')).c_str());
  close(top);
}

std::string temporary_in(const fs::path& folder) {
  const auto hidden = hidden_files(folder);
  return hidden.size() == 1 ? *hidden.begin() : "";
}

// Item 9, the naming and an interrupted save: without O_TMPFILE the temporary file has a name,
// with this machine and process in it, and Ctrl-C or SIGTERM during the save removes it.
TEST(FileSafety, WithoutOTmpfileAnInterruptedSaveLeavesNothing) {
  if (::pblur::testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer must be loaded before the no-O_TMPFILE shim";
  const TemporaryFolder dir;
  make_inputs(dir / "in");
  const auto inputs = contents_below(dir / "in");
  const pid_t single = start_pblur({"in/a.png", "out.png"}, dir.path(), dir / "single.log",
                                   without_tmpfile((dir / "saving").string()));
  ASSERT_TRUE(wait_for_file(dir / "saving"));
  const std::string name = temporary_in(dir.path());
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  EXPECT_TRUE(name.starts_with(".out.png.pblur-" + std::string(host) + "_")) << name;
  EXPECT_TRUE(name.ends_with("-" + std::to_string(single) + "-0.tmp")) << name;
  kill(single, SIGINT);
  EXPECT_EQ(wait_for(single), 130);
  EXPECT_EQ(files_below(dir.path()), (std::set<std::string>{"in/a.png", "in/b.png", "saving",
                                                            "single.log", "single.log.out"}));
  for (const Strings& backend : {Strings{"--threads", "1"}, Strings{"--procs", "1"}}) {
    fs::remove(dir / "saving");
    Strings args{"batch", "in", "out", "--overwrite"};
    args.insert(args.end(), backend.begin(), backend.end());
    const pid_t batch = start_pblur(args, dir.path(), dir / "batch.log",
                                    without_tmpfile((dir / "saving").string()));
    ASSERT_TRUE(wait_for_file(dir / "saving"));
    EXPECT_NE(temporary_in(dir / "out"), "") << backend[0];
    kill(batch, SIGTERM);
    EXPECT_EQ(wait_for(batch), 143) << backend[0] << read_text(dir / "batch.log");
    EXPECT_TRUE(hidden_files(dir / "out").empty()) << backend[0];
  }
  EXPECT_EQ(contents_below(dir / "in"), inputs);
}

// Item 9, the cleaning: a rerun removes what writers of this machine that are gone left, and
// what is old, but never a recent temporary file of another machine sharing the folder.
TEST(FileSafety, WithoutOTmpfileLeftoversAreCleanedByOwnerAndAge) {
  if (::pblur::testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer must be loaded before the no-O_TMPFILE shim";
  const TemporaryFolder dir;
  make_inputs(dir / "in");
  const pid_t writer = start_pblur({"in/a.png", "probe.png"}, dir.path(), dir / "probe.log",
                                   without_tmpfile((dir / "saving").string()));
  ASSERT_TRUE(wait_for_file(dir / "saving"));
  const std::string probe = temporary_in(dir.path());  // .probe.png.pblur-OWNER-PID-0.tmp
  kill(writer, SIGKILL);  // as `kill -9` would: the temporary file stays
  wait_for(writer);
  ASSERT_TRUE(fs::exists(dir / probe));
  const auto owner_start = probe.find(".pblur-") + 7;
  const std::string owner =
      probe.substr(owner_start, probe.rfind('-', probe.rfind('-') - 1) - owner_start);
  const std::string pid = std::to_string(writer);
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(2);
  const std::map<std::string, bool> planted{
      {".a.png.pblur-" + owner + "-" + pid + "-3.tmp", false},  // this machine, gone
      {".b.png.pblur-othermachine_4026531836-1-0.tmp", true},   // another machine, recent
      {".c.png.pblur-othermachine_4026531836-1-1.tmp", false},  // another machine, old
      {".a.png.pblur-" + pid + "-0.tmp", true},                 // an older pblur, recent
      {".b.png.pblur-" + pid + "-1.tmp", false},                // an older pblur, old
      {".notes.tmp", true},                                     // not pblur's
  };
  fs::create_directories(dir / "out");
  for (const auto& [name, kept] : planted) {
    std::ofstream(dir / "out" / name) << "x";
    if (name.find("-1-1.") != std::string::npos || name.find("-1.tmp") != std::string::npos)
      fs::last_write_time(dir / "out" / name, old);
  }
  const RunResult run = run_pblur({"batch", "in", "out"}, dir.path(), without_tmpfile());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::set<std::string> expected{"a.png", "b.png"};
  for (const auto& [name, kept] : planted) {
    if (kept) expected.insert(name);
  }
  EXPECT_EQ(files_below(dir / "out"), expected);
  const RunResult single = run_pblur({"in/b.png", "c.png"}, dir.path(), without_tmpfile());
  EXPECT_EQ(single.exit_code, 0) << single.err;
  EXPECT_FALSE(fs::exists(dir / probe));  // the single command cleans its folder too
  EXPECT_TRUE(hidden_files(dir.path()).erase(probe) == 0);
}

std::string source_record_of(const fs::path& path) {
  char value[256];
  const ssize_t size = getxattr(path.c_str(), "user.pblur.source", value, sizeof value);
  return size < 0 ? "" : std::string(value, std::size_t(size));
}

// Item 10: an output records its input's size and time and the options; a rerun redoes an
// output whose input changed (even to an older time), was replaced while it was processed, or
// that other options made.
TEST(FileSafety, OutputsRecordTheirSourceAndStaleOnesAreRedone) {
  if (::pblur::testing::kUnderAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer must be loaded before the no-O_TMPFILE shim";
  const TemporaryFolder dir;
  make_inputs(dir / "in");
  if (setxattr((dir / "in/a.png").c_str(), "user.probe", "1", 1, 0) != 0)
    GTEST_SKIP() << "no user extended attributes here: " << std::strerror(errno);
  ASSERT_EQ(run_pblur({"batch", "in", "out"}, dir.path()).exit_code, 0);
  struct stat input;
  stat((dir / "in/a.png").c_str(), &input);
  const std::string record = source_record_of(dir / "out/a.png");
  EXPECT_TRUE(record.starts_with(
      "size=" + std::to_string(input.st_size) + " mtime_ns=" +
      std::to_string(std::int64_t(input.st_mtim.tv_sec) * 1000000000 + input.st_mtim.tv_nsec) +
      " options="))
      << record;
  RunResult run = run_pblur({"batch", "in", "out"}, dir.path());
  EXPECT_TRUE(contains(run.err, "0 processed, 2 skipped")) << run.err;
  run = run_pblur({"batch", "in", "out", "--sigma", "3"}, dir.path());
  EXPECT_TRUE(contains(run.err, "2 processed, 0 skipped")) << run.err;
  run = run_pblur({"batch", "in", "out", "--sigma", "3"}, dir.path());
  EXPECT_TRUE(contains(run.err, "0 processed, 2 skipped")) << run.err;

  // Another picture under the same name, dated an hour before its output.
  write_image(dir / "in/a.png", make_image(40, 30, CV_8UC3, 7));
  fs::last_write_time(dir / "in/a.png", fs::file_time_type::clock::now() - std::chrono::hours(1));
  run = run_pblur({"batch", "in", "out", "--sigma", "3"}, dir.path());
  EXPECT_TRUE(contains(run.err, "1 processed, 1 skipped")) << run.err;
  EXPECT_EQ(read_image(dir / "out/a.png").cols, 40);

  // Replaced while it was being processed: the output was made from the old picture.
  const pid_t batch =
      start_pblur({"batch", "in", "out", "--sigma", "3", "--threads", "1", "--overwrite"},
                  dir.path(), dir / "batch.log", without_tmpfile((dir / "saving").string()));
  ASSERT_TRUE(wait_for_file(dir / "saving"));
  write_image(dir / "new.png", make_image(48, 36, CV_8UC3, 8));
  fs::rename(dir / "new.png", dir / "in/a.png");
  EXPECT_EQ(wait_for(batch), 0) << read_text(dir / "batch.log");
  run = run_pblur({"batch", "in", "out", "--sigma", "3"}, dir.path());
  EXPECT_TRUE(contains(run.err, "1 processed, 1 skipped")) << run.err;
  EXPECT_EQ(read_image(dir / "out/a.png").cols, 48);
}

// Item 11: options that would name files outside OUTPUT_DIR, or names too long, are refused;
// names with control characters are printed escaped; a reader that goes away ends nothing.
TEST(FileSafety, HostileOptionsNamesAndPipes) {
  const TemporaryFolder dir;
  make_inputs(dir / "in");
  for (const Strings& option : {Strings{"--suffix", "/../../x"}, Strings{"--format", "png/../x"},
                                Strings{"--suffix", std::string(70000, 's')}}) {
    Strings args{"batch", "in", "out"};
    args.insert(args.end(), option.begin(), option.end());
    const RunResult run = run_pblur(args, dir.path());
    EXPECT_EQ(run.exit_code, kUsageError) << option[0];
    EXPECT_EQ(line_count(run.err), 1) << run.err.substr(0, 400);
    EXPECT_LT(run.err.size(), 300u);
    EXPECT_FALSE(fs::exists(dir / "out"));
  }
  EXPECT_TRUE(contains(
      run_pblur({"batch", "in", "out", "--suffix", std::string(70000, 's')}, dir.path()).err,
      "--suffix is 70000 bytes long: a file name has at most 255"));
  EXPECT_EQ(files_below(dir.path()), (std::set<std::string>{"in/a.png", "in/b.png"}));

  std::ofstream(dir / "in/evil\n\x1b[2Jname.png") << "not an image";
  const RunResult batch = run_pblur({"batch", "in", "out", "-q"}, dir.path());
  EXPECT_EQ(batch.exit_code, kSomeFailed);
  EXPECT_EQ(batch.err,
            "pblur: error: cannot read 'in/evil\\n\\x1b[2Jname.png': not an image pblur can "
            "read\n");
  const RunResult single = run_pblur({"in/evil\n\x1b[2Jname.png", "x.png"}, dir.path());
  EXPECT_EQ(single.err,
            "pblur: error: cannot read 'in/evil\\n\\x1b[2Jname.png': not an image pblur can "
            "read\n");
  const RunResult bench = run_pblur({"bench", "no\x1b]0;such\n.png"}, dir.path());
  EXPECT_EQ(line_count(bench.err), 1) << bench.err;
  EXPECT_TRUE(contains(bench.err, "no\\x1b]0;such\\n.png")) << bench.err;
  fs::remove(dir / "in/evil\n\x1b[2Jname.png");

  // `pblur batch ... 2>&1 | head -2`: the batch goes on unheard and writes its report.
  for (int i = 0; i < 6; ++i)
    write_image(dir / "in" / ("p" + std::to_string(i) + ".png"), make_image(32, 24, CV_8UC3, 9));
  const RunResult piped =
      run_pblur_until_lines({"batch", "in", "piped", "--report", "r.json"}, dir.path(), 2);
  EXPECT_EQ(piped.exit_code, 0) << piped.out;
  EXPECT_EQ(line_count(piped.out), 2);
  EXPECT_EQ(nlohmann::json::parse(read_text(dir / "r.json"))["processed"], 8);
  EXPECT_EQ(files_below(dir / "piped").size(), 8u);

  // A file name that is not UTF-8 in bench's JSON.
  fs::copy_file(dir / "in/a.png", dir / "\xff\xfe.png");
  const RunResult odd = run_pblur({"bench", "\xff\xfe.png", "--workers", "1", "--repeat", "1",
                                   "--warmup", "0", "-q", "--json", "bench.json"},
                                  dir.path());
  EXPECT_EQ(odd.exit_code, 0) << odd.err;
  const auto json = nlohmann::json::parse(read_text(dir / "bench.json"));
  EXPECT_EQ(json["context"]["image"]["path"], "\xef\xbf\xbd\xef\xbf\xbd.png");
}

}  // namespace
}  // namespace pblur::test
