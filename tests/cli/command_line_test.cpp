// How pblur reads its command line: where options go, aliases, suggestions, help, and the options
// a run has no use for.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "batch_test_support.h"
#include "cli_runner.h"
#include "test_support.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int kUsage = 2, kBadInput = 3, kSomeFailed = 5;

std::string small_rgb() {
  return testing::test_data("pil_in_rgb.png").string();
}

// Refused: `code`, exactly `message` as the one line on stderr, nothing written.
void expect_refused(const std::vector<std::string>& arguments, int code, const std::string& message,
                    const testing::TemporaryFolder& folder) {
  const auto before = folder.entries();
  const auto result = testing::run_pblur(arguments);
  EXPECT_EQ(result.exit_code, code) << result.err;
  EXPECT_EQ(result.err, "pblur: error: " + message + "\n");
  EXPECT_EQ(folder.entries(), before);
}

// A folder `in` holding two small images, a.png and b.png.
fs::path image_folder(const testing::TemporaryFolder& folder) {
  const fs::path in = folder / "in";
  fs::create_directory(in);
  fs::copy_file(small_rgb(), in / "a.png");
  fs::copy_file(testing::test_data("pil_in_gray.png"), in / "b.png");
  return in;
}

TEST(CommandLine, AnOptionBeforeTheCommandIsRefusedNotIgnored) {
  testing::TemporaryFolder folder;
  const std::string in = image_folder(folder).string(), out = (folder / "out").string();
  expect_refused({"--sigma", "8", "batch", in, out}, kUsage,
                 "--sigma is given before 'batch': options go after the command they are for "
                 "(pblur batch ... --sigma)",
                 folder);
  expect_refused({"--seq", "bench", small_rgb()}, kUsage,
                 "--seq is given before 'bench': options go after the command they are for "
                 "(pblur bench ... --seq)",
                 folder);
}

TEST(CommandLine, ShortAndLongAliasesMeanTheirOption) {
  testing::TemporaryFolder folder;
  const auto by_name = folder / "procs.png", by_j = folder / "j.png", by_jobs = folder / "jobs.png",
             by_o = folder / "o.png";
  EXPECT_EQ(testing::run_pblur({small_rgb(), by_name.string(), "--procs", "2"}).exit_code, 0);
  EXPECT_EQ(testing::run_pblur({small_rgb(), by_j.string(), "-j", "2"}).exit_code, 0);
  EXPECT_EQ(testing::run_pblur({small_rgb(), by_jobs.string(), "--jobs", "2"}).exit_code, 0);
  EXPECT_EQ(testing::run_pblur({small_rgb(), "-o", by_o.string(), "-j", "2"}).exit_code, 0);
  EXPECT_EQ(test::read_text(by_j), test::read_text(by_name));
  EXPECT_EQ(test::read_text(by_jobs), test::read_text(by_name));
  EXPECT_EQ(test::read_text(by_o), test::read_text(by_name));
  expect_refused({small_rgb(), "x.png", "-j", "2", "--threads", "2"}, kUsage,
                 "--procs excludes --threads (see pblur --help)", folder);

  const std::string in = image_folder(folder).string();
  const auto run = testing::run_pblur({"batch", in, "-o", (folder / "out").string(), "-q"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::is_regular_file(folder / "out" / "a.png"));
}

TEST(CommandLine, UnknownOptionsAndCommandsGetTheClosestName) {
  testing::TemporaryFolder folder;
  expect_refused({small_rgb(), "out.png", "--sigm", "3"}, kUsage,
                 "unknown option --sigm (did you mean '--sigma'?) (see pblur --help)", folder);
  expect_refused({"batch", "in", "out", "--overwrit"}, kUsage,
                 "unknown option --overwrit (did you mean '--overwrite'?) (see pblur batch --help)",
                 folder);
  expect_refused({"bacth", "photos", "out"}, kUsage,
                 "unknown command 'bacth' (did you mean 'batch'?); as an input file, it does not "
                 "exist",
                 folder);
  expect_refused({"help", "bech"}, kUsage,
                 "help: unknown command 'bech' (did you mean 'bench'?); the commands are batch, "
                 "bench",
                 folder);
}

TEST(CommandLine, HelpIsACommandAndVersionWorksEverywhere) {
  const auto help = testing::run_pblur({"help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out, testing::run_pblur({"--help"}).out);
  for (const std::string command : {"batch", "bench"}) {
    const auto command_help = testing::run_pblur({"help", command});
    EXPECT_EQ(command_help.exit_code, 0);
    EXPECT_EQ(command_help.out, testing::run_pblur({command, "--help"}).out);
    EXPECT_THAT(command_help.out, HasSubstr("Usage: pblur " + command + " [OPTIONS]"));
    const auto version = testing::run_pblur({command, "--version"});
    EXPECT_EQ(version.exit_code, 0) << version.err;
    EXPECT_THAT(version.out, StartsWith("pblur " PBLUR_VERSION " ("));
  }
}

TEST(CommandLine, HelpFitsEightyColumnsNamesTheProgramAndShowsExamples) {
  for (const std::string command : {"", "batch", "bench"}) {
    const auto help =
        testing::run_pblur(command.empty() ? std::vector<std::string>{"--help"}
                                           : std::vector<std::string>{command, "--help"});
    ASSERT_EQ(help.exit_code, 0);
    std::istringstream lines(help.out);
    for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 80u) << line;
    EXPECT_THAT(help.out, HasSubstr("Usage: pblur"));
    EXPECT_THAT(help.out, ::testing::Not(HasSubstr("src/pblur")));
    if (command != "bench") {
      EXPECT_THAT(help.out, HasSubstr("Examples:\n  pblur "));
    }
  }
}

TEST(CommandLine, MaxPixelsReadsTheNumbersPeopleType) {
  testing::TemporaryFolder folder;
  for (const std::string limit : {"1e6", "24M", "2G", "5917", "0.1M"}) {
    const auto run =
        testing::run_pblur({small_rgb(), (folder / "out.png").string(), "--max-pixels", limit});
    EXPECT_EQ(run.exit_code, 0) << limit << ": " << run.err;
  }
  const auto too_small =
      testing::run_pblur({small_rgb(), (folder / "x.png").string(), "--max-pixels", "5k"});
  EXPECT_EQ(too_small.exit_code, kBadInput);
  expect_refused({small_rgb(), "x.png", "--max-pixels", "24x"}, kUsage,
                 "--max-pixels: expected a whole number of pixels from 1 to 1T, such as "
                 "50000000, 5e7 or 50M; got 24x (see pblur --help)",
                 folder);
  expect_refused({small_rgb(), "x.png", "--max-pixels", "1.5"}, kUsage,
                 "--max-pixels: expected a whole number of pixels from 1 to 1T, such as "
                 "50000000, 5e7 or 50M; got 1.5 (see pblur --help)",
                 folder);
}

TEST(CommandLine, AnOptionTheRunDoesNotUseIsRefusedNamingItAndWhy) {
  testing::TemporaryFolder folder;
  const std::string out = (folder / "out.png").string();
  expect_refused({small_rgb(), out, "--seq", "--strips", "4"}, kUsage,
                 "--strips is not used by --seq, which filters the whole image in one call",
                 folder);
  expect_refused({small_rgb(), out, "--threads", "2", "--transport", "copy"}, kUsage,
                 "--transport is not used by --threads: only worker processes (--procs) send "
                 "pixels between processes",
                 folder);
  expect_refused({small_rgb(), out, "--seq", "--transport", "shared"}, kUsage,
                 "--transport is not used by --seq: only worker processes (--procs) send pixels "
                 "between processes",
                 folder);
  expect_refused({small_rgb(), out, "--threads", "2", "--strip-timeout", "5"}, kUsage,
                 "--strip-timeout is not used by --threads: only a worker process (--procs) can "
                 "be killed and its work redone",
                 folder);
  expect_refused({small_rgb(), out, "--quality", "50"}, kUsage,
                 "--quality is not used by .png outputs: only JPEG and WebP have a quality",
                 folder);
  expect_refused({small_rgb(), out, "--filter", "median", "--border", "constant"}, kUsage,
                 "--border is not used by --filter median, which takes ksize", folder);
  const std::string in = image_folder(folder).string();
  expect_refused({"batch", in, (folder / "o").string(), "--format", "tif", "--quality", "80"},
                 kUsage, "--quality is not used by .tif outputs: only JPEG and WebP have a quality",
                 folder);
  const auto jpeg =
      testing::run_pblur({small_rgb(), (folder / "q.JPG").string(), "--quality", "50"});
  EXPECT_EQ(jpeg.exit_code, 0) << jpeg.err;
}

TEST(CommandLine, VerbosePrintsTheSettingsUsedFirst) {
  testing::TemporaryFolder folder;
  const auto run = testing::run_pblur({small_rgb(), (folder / "out.jpg").string(), "-v",
                                       "--threads", "2", "--sigma", "3", "--quality", "90"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.err,
              StartsWith("pblur: settings: filter gaussian sigma=3 ksize=19 "
                         "border=reflect101; threads 2; strips: one per worker; strip "
                         "timeout: none; quality: 90; at most the default number of pixels\n"));
}

TEST(CommandLine, InputsAreCheckedBeforeOutputsAndAFolderSuggestsBatch) {
  testing::TemporaryFolder folder;
  const std::string in = image_folder(folder).string();
  expect_refused({in, (folder / "out.png").string()}, kBadInput,
                 "cannot read '" + in + "': it is a folder (pblur batch " + in +
                     " OUTPUT_DIR filters every image in it)",
                 folder);
  const std::string missing = (folder / "missing.jpg").string();
  expect_refused({missing, (folder / "no" / "out.xyz").string()}, kBadInput,
                 "cannot read '" + missing + "': no such file", folder);
}

TEST(CommandLine, VipsStyleOptionsAfterANameAreRefusedNotWrittenAsAName) {
  testing::TemporaryFolder folder;
  const std::string out = (folder / "out.jpg[Q=90]").string();
  expect_refused({small_rgb(), out}, kUsage,
                 "cannot write '" + out +
                     "': pblur reads no [OPTIONS] after a file name ([Q=90]); use --quality and "
                     "the other options instead",
                 folder);
}

TEST(CommandLine, MessagesNameChannelsAsUsersDo) {
  testing::TemporaryFolder folder;
  const std::string out = (folder / "out.jpg").string();
  expect_refused({testing::test_data("pil_in_rgba.png").string(), out}, 4,
                 "cannot write '" + out +
                     "': the .jpg format cannot store an 8-bit RGBA image as it is (try .png or "
                     ".tif, or --flatten)",
                 folder);
}

// `command` run by the shell with pblur as $PBLUR; its exit code.
int shell(const std::string& command) {
  const int status = std::system(("PBLUR='" PBLUR_BINARY "'; " + command).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(CommandLine, StandardInputToStandardOutputIsByteIdenticalToFileToFile) {
  testing::TemporaryFolder folder;
  const std::string in = small_rgb(), dir = folder.path().string();
  ASSERT_EQ(testing::run_pblur({in, dir + "/file.png", "-j", "2"}).exit_code, 0);
  ASSERT_EQ(testing::run_pblur({in, dir + "/file.jpg", "--quality", "80"}).exit_code, 0);
  EXPECT_EQ(shell("$PBLUR - - -j 2 < " + in + " > " + dir + "/pipe.png"), 0);
  EXPECT_EQ(shell("$PBLUR - jpg:- --quality 80 < " + in + " > " + dir + "/pipe.jpg"), 0);
  EXPECT_EQ(shell("$PBLUR png:- " + dir + "/from-stdin.png < " + in), 0);
  EXPECT_EQ(shell("$PBLUR " + in + " - --seq > " + dir + "/to-stdout.png"), 0);
  const std::string expected = test::read_text(folder / "file.png");
  EXPECT_EQ(test::read_text(folder / "pipe.png"), expected);
  EXPECT_EQ(test::read_text(folder / "from-stdin.png"), expected);
  EXPECT_EQ(test::read_text(folder / "to-stdout.png"), expected);
  EXPECT_EQ(test::read_text(folder / "pipe.jpg"), test::read_text(folder / "file.jpg"));

  EXPECT_EQ(shell("echo junk | $PBLUR - - 2> " + dir + "/err"), 3);
  EXPECT_EQ(test::read_text(folder / "err"),
            "pblur: error: cannot read standard input: not an image pblur can read\n");
  EXPECT_EQ(shell("$PBLUR " + in + " png:- --quality 5 2> " + dir + "/err"), 2);
  EXPECT_EQ(test::read_text(folder / "err"),
            "pblur: error: --quality is not used by .png outputs: only JPEG and WebP have a "
            "quality\n");
}

TEST(BatchCommandLine, DryRunSaysWhatWouldBeDoneAndWhyAndWritesNothing) {
  testing::TemporaryFolder folder;
  const fs::path in = image_folder(folder);
  const std::string out = (folder / "out").string();
  const auto fresh = testing::run_pblur({"batch", in.string(), out, "--dry-run"});
  EXPECT_EQ(fresh.exit_code, 0);
  EXPECT_EQ(fresh.out, "filter " + (in / "a.png").string() + " -> " + out +
                           "/a.png (no output yet)\nfilter " + (in / "b.png").string() + " -> " +
                           out + "/b.png (no output yet)\n");
  EXPECT_FALSE(fs::exists(out));

  ASSERT_EQ(testing::run_pblur({"batch", in.string(), out, "-q", "--sigma", "3"}).exit_code, 0);
  const std::string made = test::read_text(fs::path(out) / "a.png");
  fs::last_write_time(in / "b.png", fs::last_write_time(in / "b.png") + std::chrono::seconds(5));
  const auto other = testing::run_pblur({"batch", in.string(), out, "-n", "--sigma", "5"});
  EXPECT_EQ(other.out, "filter " + (in / "a.png").string() + " -> " + out +
                           "/a.png (the output was made with other options)\nfilter " +
                           (in / "b.png").string() + " -> " + out +
                           "/b.png (the input changed since the output was made)\n");
  const auto same = testing::run_pblur({"batch", in.string(), out, "-n", "--sigma", "3"});
  EXPECT_EQ(same.out, "filter " + (in / "b.png").string() + " -> " + out +
                          "/b.png (the input changed since the output was made)\nskip " +
                          (in / "a.png").string() +
                          " (its output was made from it as it is, with these options)\n");
  EXPECT_EQ(test::read_text(fs::path(out) / "a.png"), made);
}

TEST(BatchCommandLine, AnOutputMadeWithOtherOptionsIsRedone) {
  testing::TemporaryFolder folder;
  const fs::path in = image_folder(folder);
  const std::string out = (folder / "out").string();
  ASSERT_EQ(testing::run_pblur({"batch", in.string(), out, "-q", "--sigma", "3"}).exit_code, 0);
  const std::string sigma3 = test::read_text(fs::path(out) / "a.png");
  const auto rerun = testing::run_pblur({"batch", in.string(), out, "--sigma", "5"});
  EXPECT_EQ(rerun.exit_code, 0);
  EXPECT_THAT(rerun.err, HasSubstr("2 processed, 0 skipped, 0 failed"));
  EXPECT_NE(test::read_text(fs::path(out) / "a.png"), sigma3);
}

TEST(BatchCommandLine, FailFastAndHaltStopAtTheFirstFailure) {
  testing::TemporaryFolder folder;
  const fs::path in = image_folder(folder);
  fs::copy_file(testing::test_data("truncated.png"), in / "0-truncated.png");
  for (const std::vector<std::string>& halt : {std::vector<std::string>{"--fail-fast"},
                                               std::vector<std::string>{"--halt", "now,fail=1"}}) {
    std::vector<std::string> arguments = {"batch", in.string(), (folder / "out").string(), "-q",
                                          "--overwrite"};
    arguments.insert(arguments.end(), halt.begin(), halt.end());
    const auto run = testing::run_pblur(arguments);
    EXPECT_EQ(run.exit_code, kSomeFailed);
    EXPECT_THAT(run.err, HasSubstr("pblur: error: stopped after 1 failed (--halt now,fail=1): "));
  }
  expect_refused({"batch", in.string(), "o", "--halt", "soon"}, kUsage,
                 "--halt: expected never or now,fail=N with N >= 1 (see pblur batch --help)",
                 folder);
}

TEST(CommandLine, SeveralInputsIntoAFolderEqualSingleImageRuns) {
  testing::TemporaryFolder folder;
  const fs::path in = image_folder(folder);
  const std::string a = (in / "a.png").string(), b = (in / "b.png").string();
  const std::string out = (folder / "out").string() + "/";
  ASSERT_EQ(testing::run_pblur({a, (folder / "single-a.png").string(), "-j", "2"}).exit_code, 0);
  ASSERT_EQ(testing::run_pblur({b, (folder / "single-b.png").string(), "-j", "2"}).exit_code, 0);
  const std::string report = (folder / "report.json").string();
  const auto run = testing::run_pblur({a, b, out, "-j", "2", "--report", report});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("pblur: 2 processed, 0 skipped, 0 failed"));
  EXPECT_EQ(test::files_below(folder / "out"), (std::set<std::string>{"a.png", "b.png"}));
  EXPECT_EQ(test::read_text(folder / "out/a.png"), test::read_text(folder / "single-a.png"));
  EXPECT_EQ(test::read_text(folder / "out/b.png"), test::read_text(folder / "single-b.png"));
  EXPECT_THAT(test::read_text(report), HasSubstr("\"processed\": 2,"));

  const auto rerun = testing::run_pblur({a, b, out, "-j", "2"});
  EXPECT_EQ(rerun.exit_code, 0);
  EXPECT_THAT(rerun.err, HasSubstr("pblur: 0 processed, 2 skipped, 0 failed"));
  const auto one = testing::run_pblur({a, (folder / "out").string(), "-j", "2", "--sigma", "3",
                                       "--suffix", "_s3", "--format", "jpg"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(test::files_below(folder / "out"),
            (std::set<std::string>{"a.png", "a_s3.jpg", "b.png"}));

  fs::copy_file(testing::test_data("truncated.png"), folder / "bad.png");
  const auto failing = testing::run_pblur({a, (folder / "bad.png").string(), out, "-q"});
  EXPECT_EQ(failing.exit_code, kSomeFailed);
  EXPECT_THAT(failing.err,
              HasSubstr("pblur: error: cannot read '" + (folder / "bad.png").string() + "'"));
}

TEST(CommandLine, SeveralInputsNeedAFolderAndOneNameEach) {
  testing::TemporaryFolder folder;
  const fs::path in = image_folder(folder);
  const std::string a = (in / "a.png").string(), b = (in / "b.png").string();
  expect_refused({a, b, (folder / "x.png").string()}, kUsage,
                 "cannot write 2 inputs to '" + (folder / "x.png").string() +
                     "': it is not a folder (end its name with / to have it created)",
                 folder);
  expect_refused({a, (folder / "x.png").string(), "--suffix", "_s"}, kUsage,
                 "--suffix is used only when writing into a folder (an OUTPUT that is one, or "
                 "ends in /); a single OUTPUT is named as given, in the format of its extension",
                 folder);
  fs::create_directory(folder / "other");
  fs::copy_file(b, folder / "other/a.png");
  const std::string other = (folder / "other/a.png").string();
  expect_refused({a, other, (folder / "out").string() + "/"}, kUsage,
                 "1 output name is shared by several inputs: '" + a + "' and '" + other +
                     "' would both be written to '" + (folder / "out").string() +
                     "/a.png' (use --suffix, or leave out --format)",
                 folder);
  expect_refused({"-", (folder / "out").string() + "/"}, kUsage,
                 "standard input cannot be filtered into a folder: name the output file (pblur - "
                 "OUTPUT)",
                 folder);
}

}  // namespace
}  // namespace pblur
