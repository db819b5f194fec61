// End-to-end tests of `pblur batch`, run as a user would run it.
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "batch_test_support.h"
#include "crafted_files.h"

namespace pblur::test {
namespace {

using Strings = std::vector<std::string>;

constexpr int kSomeFailed = 5;
constexpr int kUsageError = 2;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A tree of small images in mixed formats, nested folders and extension cases.
void make_tree(const fs::path& in) {
  write_image(in / "a.jpg", make_image(64, 48, CV_8UC3, 1));
  write_image(in / "B.PNG", make_image(64, 48, CV_8UC3, 2));
  write_image(in / "sub/c.Jpeg", make_image(50, 40, CV_8UC3, 3));
  write_image(in / "sub/gray.png", make_image(64, 48, CV_8UC1, 4));
  write_image(in / "sub/deep/alpha.png", make_image(33, 47, CV_8UC4, 5));
  write_image(in / "sub/deep/wide16.TIF", make_image(80, 20, CV_16UC3, 6));
  std::ofstream(in / "sub/notes.txt") << "not an image\n";
}

const std::set<std::string> kTreeImages = {
    "B.PNG", "a.jpg", "sub/c.Jpeg", "sub/deep/alpha.png", "sub/deep/wide16.TIF", "sub/gray.png"};

nlohmann::json read_report(const fs::path& path) {
  return nlohmann::json::parse(read_text(path));
}

std::map<std::string, nlohmann::json> files_by_path(const nlohmann::json& report) {
  std::map<std::string, nlohmann::json> files;
  for (const auto& file : report["files"]) files[file["path"].get<std::string>()] = file;
  return files;
}

TEST(BatchCli, MirrorsANestedTreeWithEveryFormatAndExtensionCase) {
  const TemporaryFolder dir;
  make_tree(dir / "in");
  const RunResult run = run_pblur({"batch", "in", "out", "--recursive"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(files_below(dir / "out"), kTreeImages);
  EXPECT_TRUE(contains(run.err, "6 processed, 0 skipped, 0 failed")) << run.err;
  for (const std::string& name : kTreeImages) {
    const cv::Mat in = read_image(dir / "in" / name), out = read_image(dir / "out" / name);
    EXPECT_EQ(out.size(), in.size()) << name;
    EXPECT_EQ(out.type(), in.type()) << name;
  }
}

TEST(BatchCli, WithoutRecursiveOnlyTheTopFolder) {
  const TemporaryFolder dir;
  make_tree(dir / "in");
  const RunResult run = run_pblur({"batch", "in", "out"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(files_below(dir / "out"), (std::set<std::string>{"B.PNG", "a.jpg"}));
}

// Images decode on other threads while lines are printed; stderr is silenced during decoding,
// and no line of pblur's may vanish with the decoders' chatter.
TEST(BatchCli, EveryImageGetsItsLineWhateverTheBackendAndSplit) {
  const TemporaryFolder dir;
  for (unsigned i = 0; i < 12; ++i) {
    write_image(dir / "in" / ("p" + std::to_string(i) + ".jpg"), make_image(160, 120, CV_8UC3, i));
  }
  const std::vector<std::vector<std::string>> modes = {{"--threads", "2"},
                                                       {"--seq"},
                                                       {"--procs", "2", "--split", "strips"},
                                                       {"--threads", "2", "--split", "strips"},
                                                       {"--procs", "2", "--split", "images"}};
  for (const auto& mode : modes) {
    std::vector<std::string> args = {"batch", "in", "out", "--overwrite"};
    args.insert(args.end(), mode.begin(), mode.end());
    const RunResult run = run_pblur(args, dir.path());
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 13) << mode[0] << "\n" << run.err;
  }
}

// Every output has the pixels of `pblur INPUT OUTPUT` on the same file with the same options,
// whatever the split and the backend.
TEST(BatchCli, OutputPixelsEqualSingleImageRuns) {
  const TemporaryFolder dir;
  make_tree(dir / "in");
  const Strings filter{"--filter", "gaussian", "--sigma", "1.5", "--quality", "90"};
  std::map<std::string, Strings> variants{
      {"images", {"--split", "images"}},
      {"strips", {"--split", "strips", "--strips", "3"}},
      {"threads", {"--threads", "2"}},
      {"seq", {"--seq"}},
  };
  for (auto& [name, extra] : variants) {
    Strings args{"batch", "in", "out-" + name, "-r"};
    args.insert(args.end(), filter.begin(), filter.end());
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult run = run_pblur(args, dir.path());
    ASSERT_EQ(run.exit_code, 0) << name << ": " << run.err;
  }
  for (const std::string& image : kTreeImages) {
    const fs::path single = dir / "single" / image;
    fs::create_directories(single.parent_path());
    Strings args{"in/" + image, single.string()};
    args.insert(args.end(), filter.begin(), filter.end());
    const bool jpeg = single.extension() == ".jpg" || single.extension() == ".Jpeg";
    if (!jpeg) args.resize(args.size() - 2);  // --quality: JPEG's only
    const RunResult run = run_pblur(args, dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const cv::Mat expected = read_image(single);
    for (const auto& [name, extra] : variants) {
      EXPECT_TRUE(same_pixels(read_image(dir / ("out-" + name) / image), expected))
          << image << " with " << name;
    }
  }
}

TEST(BatchCli, BadFilesAreReportedAndTheBatchGoesOn) {
  const TemporaryFolder dir;
  make_tree(dir / "in");
  copy_test_file("truncated.jpg", dir / "in/bad/truncated.jpg");
  copy_test_file("truncated.png", dir / "in/bad/truncated.png");
  copy_test_file("not_an_image.jpg", dir / "in/bad/not_an_image.jpg");
  copy_test_file("empty.png", dir / "in/bad/empty.png");
  const RunResult run =
      run_pblur({"batch", "in", "out", "-r", "--report", "report.json"}, dir.path());
  EXPECT_EQ(run.exit_code, kSomeFailed) << run.err;
  EXPECT_EQ(files_below(dir / "out"), kTreeImages);  // nothing for the bad ones, no leftovers
  EXPECT_TRUE(contains(run.err, "6 processed, 0 skipped, 4 failed")) << run.err;
  EXPECT_TRUE(contains(run.err, "pblur: error: cannot read 'in/bad/empty.png': the file is empty"))
      << run.err;
  const auto files = files_by_path(read_report(dir / "report.json"));
  ASSERT_EQ(files.size(), 10u);
  for (const char* bad :
       {"bad/truncated.jpg", "bad/truncated.png", "bad/not_an_image.jpg", "bad/empty.png"}) {
    EXPECT_EQ(files.at(bad)["status"], "failed") << bad;
    EXPECT_TRUE(contains(files.at(bad)["reason"].get<std::string>(), bad)) << files.at(bad);
    EXPECT_TRUE(files.at(bad)["output_bytes"].is_null());
  }
  EXPECT_TRUE(contains(files.at("bad/truncated.png")["reason"].get<std::string>(), "truncated"));
  EXPECT_TRUE(
      contains(files.at("bad/not_an_image.jpg")["reason"].get<std::string>(), "not an image"));
}

TEST(BatchCli, UnreadableFileFails) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads every file";
  const TemporaryFolder dir;
  write_image(dir / "in/a.png", make_image(16, 16, CV_8UC3, 1));
  write_image(dir / "in/locked.png", make_image(16, 16, CV_8UC3, 2));
  chmod((dir / "in/locked.png").c_str(), 0);
  const RunResult run = run_pblur({"batch", "in", "out"}, dir.path());
  EXPECT_EQ(run.exit_code, kSomeFailed) << run.err;
  EXPECT_TRUE(contains(run.err, "cannot read 'in/locked.png': Permission denied")) << run.err;
  EXPECT_EQ(files_below(dir / "out"), (std::set<std::string>{"a.png"}));
}

TEST(BatchCli, NameCollisionIsAUsageErrorBeforeAnyWork) {
  const TemporaryFolder dir;
  write_image(dir / "in/a.png", make_image(16, 16, CV_8UC3, 1));
  write_image(dir / "in/a.jpg", make_image(16, 16, CV_8UC3, 2));
  write_image(dir / "in/b.png", make_image(16, 16, CV_8UC3, 3));
  const RunResult run = run_pblur({"batch", "in", "out", "--format", "jpg"}, dir.path());
  EXPECT_EQ(run.exit_code, kUsageError);
  EXPECT_TRUE(contains(run.err,
                       "pblur: error: 1 output name is shared by several inputs: 'a.jpg' "
                       "and 'a.png' would both be written to 'out/a.jpg'"))
      << run.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(BatchCli, FormatConvertsAndSuffixRenames) {
  const TemporaryFolder dir;
  make_tree(dir / "in");
  fs::remove(dir / "in/sub/deep/alpha.png");   // JPEG has no alpha
  fs::remove(dir / "in/sub/deep/wide16.TIF");  // nor 16 bits
  const RunResult run =
      run_pblur({"batch", "in", "out", "-r", "--format", "jpg", "--suffix", "-soft"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(
      files_below(dir / "out"),
      (std::set<std::string>{"B-soft.jpg", "a-soft.jpg", "sub/c-soft.jpg", "sub/gray-soft.jpg"}));
  const std::string bytes = read_text(dir / "out/B-soft.jpg");
  EXPECT_EQ(bytes.substr(0, 3), "\xFF\xD8\xFF");  // a JPEG, though its input was a PNG
}

TEST(BatchCli, FormatThatCannotHoldAnImageFailsThatImageOnly) {
  const TemporaryFolder dir;
  write_image(dir / "in/alpha.png", make_image(16, 16, CV_8UC4, 1));
  write_image(dir / "in/plain.png", make_image(16, 16, CV_8UC3, 2));
  const RunResult run = run_pblur({"batch", "in", "out", "--format", "jpg"}, dir.path());
  EXPECT_EQ(run.exit_code, kSomeFailed) << run.err;
  EXPECT_TRUE(contains(run.err, "cannot write 'out/alpha.jpg'")) << run.err;
  EXPECT_EQ(files_below(dir / "out"), (std::set<std::string>{"plain.jpg"}));
}

// Formats OpenCV reads that every batch used to fail: .jp2 (its output refused), .pxm (no writer
// under that name), OS/2 bitmaps (their 16-bit header sizes misread).
TEST(BatchCli, Jpeg2000PxmAndOs2BitmapsAreFilteredLikeSingleImages) {
  const TemporaryFolder dir;
  write_image(dir / "in/a.jp2", make_image(64, 48, CV_8UC3, 1));
  std::vector<uchar> ppm;
  ASSERT_TRUE(cv::imencode(".ppm", make_image(40, 30, CV_8UC3, 2), ppm));
  std::ofstream(dir / "in/b.pxm", std::ios::binary)
      .write(reinterpret_cast<const char*>(ppm.data()), std::streamsize(ppm.size()));
  std::ofstream(dir / "in/c.bmp", std::ios::binary) << testing::os2_bmp();
  const std::set<std::string> names = {"a.jp2", "b.pxm", "c.bmp"};
  std::map<std::string, std::string> inputs;
  for (const std::string& name : names) inputs[name] = read_text(dir / "in" / name);
  const RunResult run = run_pblur({"batch", "in", "out"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "3 processed, 0 skipped, 0 failed")) << run.err;
  EXPECT_EQ(files_below(dir / "out"), names);
  for (const std::string& name : names) {
    EXPECT_EQ(read_text(dir / "in" / name), inputs[name]) << name;
    const RunResult single = run_pblur({"in/" + name, "single-" + name}, dir.path());
    ASSERT_EQ(single.exit_code, 0) << single.err;
    EXPECT_TRUE(same_pixels(read_image(dir / "out" / name), read_image(dir / ("single-" + name))))
        << name;
  }
  EXPECT_EQ(read_image(dir / "out/c.bmp").type(), CV_8UC3);  // its colours kept
}

TEST(BatchCli, RerunSkipsEverythingAndOverwriteRedoesIt) {
  const TemporaryFolder dir;
  make_tree(dir / "in");
  ASSERT_EQ(run_pblur({"batch", "in", "out", "-r"}, dir.path()).exit_code, 0);
  std::map<std::string, fs::file_time_type> times;
  for (const std::string& name : kTreeImages) times[name] = fs::last_write_time(dir / "out" / name);

  RunResult run = run_pblur({"batch", "in", "out", "-r", "--report", "r.json"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "0 processed, 6 skipped, 0 failed")) << run.err;
  for (const std::string& name : kTreeImages) {
    EXPECT_EQ(fs::last_write_time(dir / "out" / name), times[name]) << name;
  }
  for (const auto& [path, file] : files_by_path(read_report(dir / "r.json"))) {
    EXPECT_EQ(file["status"], "skipped") << path;
  }

  fs::last_write_time(dir / "in/a.jpg", fs::file_time_type::clock::now() + std::chrono::seconds(5));
  run = run_pblur({"batch", "in", "out", "-r"}, dir.path());  // a changed input is redone
  EXPECT_TRUE(contains(run.err, "1 processed, 5 skipped, 0 failed")) << run.err;

  run = run_pblur({"batch", "in", "out", "-r", "--overwrite"}, dir.path());
  EXPECT_TRUE(contains(run.err, "6 processed, 0 skipped, 0 failed")) << run.err;
}

TEST(BatchCli, OutputFolderInsideInputFolder) {
  const TemporaryFolder dir;
  write_image(dir / "in/a.png", make_image(16, 16, CV_8UC3, 1));
  RunResult run = run_pblur({"batch", "in", "in/blurred", "-r"}, dir.path());
  EXPECT_EQ(run.exit_code, kUsageError);
  EXPECT_TRUE(contains(run.err, "inside INPUT_DIR")) << run.err;
  run = run_pblur({"batch", "in", "in"}, dir.path());
  EXPECT_EQ(run.exit_code, kUsageError);

  run = run_pblur({"batch", "in", "in/blurred"}, dir.path());  // not recursive: never read back
  EXPECT_EQ(run.exit_code, 0) << run.err;
  run = run_pblur({"batch", "in", "in/blurred", "--report", "r.json"}, dir.path());
  EXPECT_EQ(read_report(dir / "r.json")["found"], 1);
  EXPECT_EQ(files_below(dir / "in"), (std::set<std::string>{"a.png", "blurred/a.png"}));
}

TEST(BatchCli, ShardsTogetherDoEveryFileExactlyOnce) {
  const TemporaryFolder dir;
  for (int i = 0; i < 30; ++i) {
    write_image(dir / "in" / ("d" + std::to_string(i % 3)) / ("img" + std::to_string(i) + ".png"),
                make_image(8, 8, CV_8UC3, unsigned(i)));
  }
  std::map<std::string, int> done;
  for (int k = 0; k < 4; ++k) {
    const std::string report = "shard" + std::to_string(k) + ".json";
    const RunResult run = run_pblur(
        {"batch", "in", "out", "-r", "--shard", std::to_string(k) + "/4", "--report", report},
        dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    for (const auto& [path, file] : files_by_path(read_report(dir / report))) {
      EXPECT_EQ(file["status"], "processed") << path;
      ++done[path];
    }
  }
  EXPECT_EQ(done.size(), 30u);
  for (const auto& [path, count] : done) EXPECT_EQ(count, 1) << path;
  EXPECT_EQ(files_below(dir / "out").size(), 30u);
  EXPECT_EQ(run_pblur({"batch", "in", "out", "--shard", "4/4"}, dir.path()).exit_code, kUsageError);
}

TEST(BatchCli, ReportHasEveryFileWithPhasesAndBytes) {
  const TemporaryFolder dir;
  write_image(dir / "in/a.png", make_image(32, 32, CV_8UC3, 1));
  write_image(dir / "in/b.png", make_image(32, 32, CV_8UC3, 2));
  const RunResult run = run_pblur({"batch", "in", "out", "--report", "r.json"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json report = read_report(dir / "r.json");
  EXPECT_EQ(report["processed"], 2);
  EXPECT_EQ(report["failed"], 0);
  EXPECT_EQ(report["skipped"], 0);
  EXPECT_EQ(report["found"], 2);
  EXPECT_TRUE(report["interrupted_by"].is_null());
  ASSERT_EQ(report["files"].size(), 2u);
  const auto& a = report["files"][0];
  EXPECT_EQ(a["path"], "a.png");
  EXPECT_EQ(a["input"], "in/a.png");
  EXPECT_EQ(a["output"], "out/a.png");
  EXPECT_EQ(a["status"], "processed");
  EXPECT_TRUE(a["reason"].is_null());
  EXPECT_EQ(a["input_bytes"], fs::file_size(dir / "in/a.png"));
  EXPECT_EQ(a["output_bytes"], fs::file_size(dir / "out/a.png"));
  for (const char* phase : {"load_ms", "filter_ms", "save_ms"})
    EXPECT_GT(a[phase].get<double>(), 0.0);
}

TEST(BatchCli, LinesWhenNotATerminalAndQuietPrintsOnlyErrors) {
  const TemporaryFolder dir;
  write_image(dir / "in/a.png", make_image(16, 16, CV_8UC3, 1));
  write_image(dir / "in/b.png", make_image(16, 16, CV_8UC3, 2));
  copy_test_file("empty.png", dir / "in/c.png");
  RunResult run = run_pblur({"batch", "in", "out"}, dir.path());
  EXPECT_EQ(run.exit_code, kSomeFailed);
  EXPECT_TRUE(contains(run.err, "/3] a.png: ")) << run.err;
  EXPECT_TRUE(contains(run.err, "/3] b.png: ")) << run.err;
  EXPECT_TRUE(contains(run.err, "/3] c.png: failed: cannot read 'in/c.png': the file is empty"));
  EXPECT_TRUE(contains(run.err, "[3/3]")) << run.err;
  EXPECT_TRUE(run.out.empty());

  run = run_pblur({"batch", "in", "out", "-q", "--overwrite"}, dir.path());
  EXPECT_EQ(run.exit_code, kSomeFailed);
  EXPECT_EQ(run.err, "pblur: error: cannot read 'in/c.png': the file is empty\n");
}

TEST(BatchCli, ProgressBarOnATerminal) {
  const TemporaryFolder dir;
  for (int i = 0; i < 12; ++i) {
    write_image(dir / "in" / ("img" + std::to_string(i) + ".png"),
                make_image(64, 48, CV_8UC3, unsigned(i)));
  }
  copy_test_file("empty.png", dir / "in/empty.png");
  const RunResult run = run_pblur_in_terminal({"batch", "in", "out"}, dir.path(), 100);
  EXPECT_EQ(run.exit_code, kSomeFailed) << run.err;
  // Redrawn in place: a carriage return, the bar, and the rest of the line cleared.
  EXPECT_TRUE(contains(run.err, "\r[")) << run.err;
  EXPECT_TRUE(contains(run.err, "] 13/13 images ")) << run.err;
  EXPECT_TRUE(contains(run.err, " MB/s  ")) << run.err;
  EXPECT_TRUE(contains(run.err, " elapsed  ETA ")) << run.err;
  EXPECT_TRUE(contains(run.err, "\x1b[K")) << run.err;
  EXPECT_FALSE(contains(run.err, "pblur: [")) << run.err;  // no per-file lines
  // A failure is printed above the bar as it happens, and again in the summary.
  EXPECT_TRUE(contains(run.err, "\r\x1b[Kpblur: error: cannot read 'in/empty.png'")) << run.err;
  EXPECT_TRUE(contains(run.err, "pblur: 12 processed, 0 skipped, 1 failed")) << run.err;
  const auto bar = run.err.rfind("\r[") + 1;
  const auto bar_end = run.err.find("\x1b[K", bar);
  EXPECT_LT(bar_end - bar, 100u) << "the bar must fit the terminal's 100 columns";

  const RunResult narrow = run_pblur_in_terminal({"batch", "in", "out2"}, dir.path(), 40);
  const auto narrow_bar = narrow.err.rfind("\r[") + 1;
  EXPECT_LT(narrow.err.find("\x1b[K", narrow_bar) - narrow_bar, 40u) << narrow.err;
}

TEST(BatchCli, VerboseSaysHowTheWorkIsSplit) {
  const TemporaryFolder dir;
  write_image(dir / "in/a.png", make_image(16, 16, CV_8UC3, 1));
  RunResult run = run_pblur({"batch", "in", "out", "-v", "--procs", "2"}, dir.path());
  EXPECT_TRUE(contains(run.err, "split: strips")) << run.err;
  write_image(dir / "in/b.png", make_image(16, 16, CV_8UC3, 2));
  run = run_pblur({"batch", "in", "out", "-v", "--procs", "2", "--overwrite"}, dir.path());
  EXPECT_TRUE(contains(run.err, "split: images")) << run.err;
  run = run_pblur({"batch", "in", "out", "-v", "--split", "strips", "--overwrite"}, dir.path());
  EXPECT_TRUE(contains(run.err, "split: strips")) << run.err;
  run = run_pblur({"batch", "in", "out", "-v", "--strips", "2", "--overwrite"}, dir.path());
  EXPECT_TRUE(contains(run.err, "split: strips")) << run.err;  // --strips asks for strips
}

TEST(BatchCli, UsageErrorsAndMissingFolders) {
  const TemporaryFolder dir;
  EXPECT_EQ(run_pblur({"batch", "nowhere", "out"}, dir.path()).exit_code, 3);
  fs::create_directory(dir / "in");
  std::ofstream(dir / "file") << "x";
  EXPECT_EQ(run_pblur({"batch", "in", "file"}, dir.path()).exit_code, 4);
  EXPECT_EQ(run_pblur({"batch", "in"}, dir.path()).exit_code, kUsageError);
  EXPECT_EQ(run_pblur({"batch", "in", "out", "--split", "rows"}, dir.path()).exit_code,
            kUsageError);
  EXPECT_EQ(run_pblur({"batch", "in", "out", "--format", "gif"}, dir.path()).exit_code,
            kUsageError);
  EXPECT_EQ(
      run_pblur({"batch", "in", "out", "--report", "no/such/dir/r.json"}, dir.path()).exit_code, 4);
  const RunResult empty = run_pblur({"batch", "in", "out"}, dir.path());
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_TRUE(contains(empty.err, "no images found in 'in'")) << empty.err;
}

TEST(BatchCli, SingleImageCommandStillWorksBesideBatch) {
  const TemporaryFolder dir;
  write_image(dir / "a.png", make_image(16, 16, CV_8UC3, 1));
  EXPECT_EQ(run_pblur({"a.png", "b.png"}, dir.path()).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / "b.png"));
  const RunResult missing = run_pblur({"a.png"}, dir.path());
  EXPECT_EQ(missing.exit_code, kUsageError);
  EXPECT_TRUE(contains(missing.err, "OUTPUT is required")) << missing.err;
  const RunResult help = run_pblur({"batch", "--help"}, dir.path());
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "5 some images failed")) << help.out;
}

TEST(BatchCli, FilesAndFoldersTogetherKeepTheirNames) {
  const TemporaryFolder dir;
  make_tree(dir / "in");
  write_image(dir / "loose/x.png", make_image(30, 20, CV_8UC3, 7));
  const Strings filter{"--sigma", "1.5", "-j", "2"};
  Strings args{"batch", "loose/x.png", "in", "in/sub/gray.png", "out"};
  args.insert(args.end(), filter.begin(), filter.end());
  const RunResult run = run_pblur(args, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "pblur: 4 processed, 0 skipped, 0 failed")) << run.err;
  EXPECT_EQ(files_below(dir / "out"),
            (std::set<std::string>{"B.PNG", "a.jpg", "gray.png", "x.png"}));
  for (const auto& [input, output] : std::map<std::string, std::string>{
           {"loose/x.png", "x.png"}, {"in/sub/gray.png", "gray.png"}, {"in/B.PNG", "B.PNG"}}) {
    Strings single{input, "single-" + output};
    single.insert(single.end(), filter.begin(), filter.end());
    ASSERT_EQ(run_pblur(single, dir.path()).exit_code, 0) << input;
    EXPECT_EQ(read_text(dir / "out" / output), read_text(dir / ("single-" + output))) << input;
  }
  Strings rerun{"batch", "loose/x.png", "-o", "out"};
  rerun.insert(rerun.end(), filter.begin(), filter.end());
  EXPECT_TRUE(
      contains(run_pblur(rerun, dir.path()).err, "pblur: 0 processed, 1 skipped, 0 failed"));
}

TEST(BatchCli, TwoInputsWithOneOutputNameAreRefusedNamingBoth) {
  const TemporaryFolder dir;
  write_image(dir / "x/a.png", make_image(16, 16, CV_8UC3, 1));
  write_image(dir / "y/a.png", make_image(16, 16, CV_8UC3, 2));
  const RunResult run = run_pblur({"batch", "x/a.png", "y/a.png", "out"}, dir.path());
  EXPECT_EQ(run.exit_code, kUsageError);
  EXPECT_EQ(run.err,
            "pblur: error: 1 output name is shared by several inputs: 'x/a.png' and 'y/a.png' "
            "would both be written to 'out/a.png' (use --suffix, or leave out --format)\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
  const RunResult missing = run_pblur({"batch", "x/a.png"}, dir.path());
  EXPECT_EQ(missing.exit_code, kUsageError);
  EXPECT_EQ(missing.err,
            "pblur: error: OUTPUT_DIR is required: the folder to write into, after the inputs "
            "(pblur batch INPUT... OUTPUT_DIR)\n");
}

}  // namespace
}  // namespace pblur::test
