#include "core/batch/batch_plan.h"

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "batch_test_support.h"
#include "core/base/errors.h"
#include "core/base/stable_hash.h"
#include "core/batch/output_manifest.h"

namespace pblur {
namespace {

using testing::TemporaryFolder;
namespace fs = std::filesystem;

void touch(const fs::path& path, const std::string& text = "x") {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::vector<std::string> relatives(const std::vector<BatchItem>& items) {
  std::vector<std::string> names;
  for (const BatchItem& item : items) names.push_back(item.relative);
  return names;
}

BatchPlanOptions options_for(const TemporaryFolder& dir, bool recursive = false) {
  BatchPlanOptions options;
  options.inputs = {dir / "in"};
  options.output_dir = dir / "out";
  options.recursive = recursive;
  return options;
}

TEST(StableHash, MatchesPublishedFnv1a64Values) {
  EXPECT_EQ(fnv1a_64(""), 0xcbf29ce484222325u);
  EXPECT_EQ(fnv1a_64("a"), 0xaf63dc4c8601ec8cu);
  EXPECT_EQ(fnv1a_64("foobar"), 0x85944171f73967e8u);
}

TEST(Shard, ParsesKOverN) {
  const auto shard = parse_shard("2/5");
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 2u);
  EXPECT_EQ(shard->count, 5u);
  for (const char* bad : {"", "3", "5/5", "1/0", "-1/4", "a/4", "1/4x", "1//4", "/4"}) {
    EXPECT_FALSE(parse_shard(bad)) << bad;
  }
}

TEST(Shard, DependsOnlyOnTheRelativePath) {
  EXPECT_EQ(shard_of("sub/photo.jpg", 7), fnv1a_64("sub/photo.jpg") % 7);
  EXPECT_EQ(shard_of("x.png", 1), 0u);
}

TEST(ImageExtension, CaseInsensitiveAndOnlyWhatOpenCvReads) {
  for (const char* name : {"a.jpg", "a.JPG", "a.Jpeg", "b.png", "c.TIF", "d.tiff", "e.webp",
                           "f.bmp", "g.pgm", "h.ppm", "i.jp2", "j.exr", "k.hdr"}) {
    EXPECT_TRUE(has_image_extension(name)) << name;
  }
  for (const char* name :
       {"a.txt", "a", "jpg", ".jpg.tmp", "a.gif", "a.heic", "a.jpg.pblur-1-0.tmp"}) {
    EXPECT_FALSE(has_image_extension(name)) << name;
  }
}

TEST(BatchPlan, FindsImagesOnlyAtTheTopWithoutRecursive) {
  const TemporaryFolder dir;
  touch(dir / "in/b.jpg");
  touch(dir / "in/A.PNG");
  touch(dir / "in/notes.txt");
  touch(dir / "in/sub/c.jpg");
  const BatchPlan plan = plan_batch(options_for(dir));
  EXPECT_EQ(relatives(plan.work), (std::vector<std::string>{"A.PNG", "b.jpg"}));
  EXPECT_EQ(plan.found, 2u);
  EXPECT_EQ(plan.work[0].output, dir / "out/A.PNG");
}

TEST(BatchPlan, RecursiveMirrorsTheTree) {
  const TemporaryFolder dir;
  touch(dir / "in/a.jpg");
  touch(dir / "in/sub/deep/c.Tif");
  touch(dir / "in/sub/b.webp");
  BatchPlan plan = plan_batch(options_for(dir, true));
  EXPECT_EQ(relatives(plan.work),
            (std::vector<std::string>{"a.jpg", "sub/b.webp", "sub/deep/c.Tif"}));
  EXPECT_EQ(plan.work[2].output, dir / "out/sub/deep/c.Tif");
  EXPECT_EQ(plan.work[2].input, dir / "in/sub/deep/c.Tif");
  create_output_folders(dir / "out", plan);
  EXPECT_TRUE(fs::is_directory(dir / "out/sub/deep"));
}

TEST(BatchPlan, FormatAndSuffixNameTheOutputs) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png");
  touch(dir / "in/b.JPG");
  BatchPlanOptions options = options_for(dir);
  options.format = "JPG";
  options.suffix = "_blur";
  const BatchPlan plan = plan_batch(options);
  ASSERT_EQ(plan.work.size(), 2u);
  EXPECT_EQ(plan.work[0].output, dir / "out/a_blur.jpg");
  EXPECT_EQ(plan.work[1].output, dir / "out/b_blur.jpg");
}

TEST(BatchPlan, UnknownFormatIsAUsageError) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png");
  BatchPlanOptions options = options_for(dir);
  options.format = "gif";
  EXPECT_THROW(plan_batch(options), UsageError);
}

TEST(BatchPlan, TwoInputsWithOneOutputAreRefused) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png");
  touch(dir / "in/a.jpg");
  BatchPlanOptions options = options_for(dir);
  options.format = "jpg";
  try {
    plan_batch(options);
    FAIL() << "expected a PlanOptionError";
  } catch (const PlanOptionError& error) {
    EXPECT_EQ(error.problem, PlanOptionError::Problem::shared_output_names);
    EXPECT_EQ(error.other, "1");
    EXPECT_NE(std::string(error.what()).find("'a.jpg' and 'a.png' would both be written to"),
              std::string::npos)
        << error.what();
  }
  options.suffix = "";
  options.format = "";
  EXPECT_EQ(plan_batch(options).work.size(), 2u);  // each keeps its own format: no collision
}

TEST(BatchPlan, OutputFolderEqualToInputIsRefused) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png");
  BatchPlanOptions options = options_for(dir);
  options.output_dir = dir / "in";
  EXPECT_THROW(plan_batch(options), UsageError);
  options.output_dir = dir / "in/.";  // the same folder, spelled differently
  EXPECT_THROW(plan_batch(options), UsageError);
  fs::create_directory_symlink(dir / "in", dir / "link");
  options.output_dir = dir / "link";
  EXPECT_THROW(plan_batch(options), UsageError);
}

TEST(BatchPlan, OutputFolderInsideInputOnlyWhenTheScanCannotReachIt) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png");
  BatchPlanOptions options = options_for(dir, true);
  options.output_dir = dir / "in/blurred";
  EXPECT_THROW(plan_batch(options), UsageError);
  options.recursive = false;
  touch(dir / "in/blurred/b.png");  // an earlier run's output: never read as input
  const BatchPlan plan = plan_batch(options);
  EXPECT_EQ(plan.found, 1u);
  EXPECT_EQ(relatives(plan.work), (std::vector<std::string>{"a.png"}));
}

TEST(BatchPlan, OutputThatWouldReplaceAnInputIsRefused) {
  const TemporaryFolder dir;
  touch(dir / "photos/raw/a.jpg");
  touch(dir / "photos/raw/raw/a.jpg");
  BatchPlanOptions options;
  options.inputs = {dir / "photos/raw"};
  options.output_dir = dir / "photos";  // raw/a.jpg -> photos/raw/a.jpg, an input
  options.recursive = true;
  EXPECT_THROW(plan_batch(options), UsageError);
}

TEST(BatchPlan, MissingInputOrOneNeitherFileNorFolderIsAnInputError) {
  const TemporaryFolder dir;
  EXPECT_THROW(plan_batch(options_for(dir)), InputError);
  ASSERT_EQ(mkfifo((dir / "in").c_str(), 0600), 0);
  EXPECT_THROW(plan_batch(options_for(dir)), InputError);
  fs::remove(dir / "in");
  touch(dir / "in");  // a file: an input of its own
  EXPECT_EQ(relatives(plan_batch(options_for(dir)).work), (std::vector<std::string>{"in"}));
}

TEST(BatchPlan, OutputFolderThatIsAFileIsAnOutputError) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png");
  touch(dir / "out");
  EXPECT_THROW(plan_batch(options_for(dir)), OutputError);
}

TEST(BatchPlan, SkipsOutputsNewerThanTheirInputsUnlessOverwrite) {
  const TemporaryFolder dir;
  touch(dir / "in/old.png");
  touch(dir / "in/new.png");
  touch(dir / "in/missing.png");
  touch(dir / "out/old.png");
  touch(dir / "out/new.png");
  const auto now = fs::last_write_time(dir / "in/new.png");
  fs::last_write_time(dir / "out/old.png", now - std::chrono::hours(1));  // older than its input
  fs::last_write_time(dir / "out/new.png", now + std::chrono::seconds(1));
  BatchPlanOptions options = options_for(dir);
  BatchPlan plan = plan_batch(options);
  EXPECT_EQ(relatives(plan.work), (std::vector<std::string>{"missing.png", "old.png"}));
  EXPECT_EQ(relatives(plan.skipped), (std::vector<std::string>{"new.png"}));
  options.overwrite = true;
  plan = plan_batch(options);
  EXPECT_EQ(plan.work.size(), 3u);
  EXPECT_TRUE(plan.skipped.empty());
}

TEST(BatchPlan, ShardsCoverEveryFileExactlyOnce) {
  const TemporaryFolder dir;
  for (int i = 0; i < 60; ++i)
    touch(dir / "in" / ("d" + std::to_string(i % 4)) / ("f" + std::to_string(i) + ".jpg"));
  for (const std::uint64_t count : {1u, 2u, 3u, 7u}) {
    std::map<std::string, int> seen;
    for (std::uint64_t index = 0; index < count; ++index) {
      BatchPlanOptions options = options_for(dir, true);
      options.shard = {index, count};
      const BatchPlan plan = plan_batch(options);
      EXPECT_EQ(plan.found, 60u);
      for (const BatchItem& item : plan.work) {
        ++seen[item.relative];
        EXPECT_EQ(shard_of(item.relative, count), index);
      }
    }
    EXPECT_EQ(seen.size(), 60u) << count << " shards";
    for (const auto& [name, times] : seen)
      EXPECT_EQ(times, 1) << name << " in " << count << " shards";
  }
}

TEST(BatchPlan, StopFlagInterruptsTheScan) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png");
  std::stop_source stop;
  stop.request_stop();
  BatchPlanOptions options = options_for(dir);
  options.stop = stop.get_token();
  EXPECT_THROW(plan_batch(options), Interrupted);
}

TEST(BatchPlan, FilesKeepTheirNamesBesideAFolder) {
  const TemporaryFolder dir;
  touch(dir / "in/b.png");
  touch(dir / "in/sub/c.png");
  touch(dir / "loose/a.png");
  touch(dir / "loose/notes.txt");  // named by the user: an input whatever its extension
  BatchPlanOptions options;
  options.inputs = {dir / "loose/notes.txt", dir / "in", dir / "loose/a.png"};
  options.output_dir = dir / "out";
  options.suffix = "_s";
  const BatchPlan plan = plan_batch(options);
  EXPECT_EQ(plan.found, 3u);
  ASSERT_EQ(relatives(plan.work), (std::vector<std::string>{"a.png", "b.png", "notes.txt"}));
  EXPECT_EQ(plan.work[0].input, dir / "loose/a.png");
  EXPECT_EQ(plan.work[0].output, dir / "out/a_s.png");
  EXPECT_EQ(plan.work[1].output, dir / "out/b_s.png");
  EXPECT_EQ(plan.work[2].output, dir / "out/notes_s.txt");
}

TEST(BatchPlan, TwoFilesWithOneOutputNameAreRefusedNamingBoth) {
  const TemporaryFolder dir;
  touch(dir / "x/a.png");
  touch(dir / "y/a.png");
  BatchPlanOptions options;
  options.inputs = {dir / "x/a.png", dir / "y/a.png"};
  options.output_dir = dir / "out";
  try {
    plan_batch(options);
    FAIL() << "expected a PlanOptionError";
  } catch (const PlanOptionError& error) {
    EXPECT_EQ(error.value, "'" + (dir / "x/a.png").string() + "' and '" +
                               (dir / "y/a.png").string() + "' would both be written to '" +
                               (dir / "out/a.png").string() + "'");
  }
  EXPECT_FALSE(fs::exists(dir / "out"));
  options.suffix = "_2";
  options.inputs = {dir / "x/a.png", dir / "missing.png"};
  EXPECT_THROW(plan_batch(options), InputError);
}

TEST(BatchPlan, PlanOptionErrorsCarryTheValueAndNameNoOption) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png");
  BatchPlanOptions options = options_for(dir);
  const auto problem_of = [&](const BatchPlanOptions& tried) {
    try {
      plan_batch(tried);
    } catch (const PlanOptionError& error) {
      EXPECT_EQ(std::string(error.what()).find("--"), std::string::npos) << error.what();
      return std::pair(error.problem, error.value);
    }
    ADD_FAILURE() << "expected a PlanOptionError";
    return std::pair(PlanOptionError::Problem::unknown_format, std::string());
  };
  using Problem = PlanOptionError::Problem;
  options.format = "gif";
  EXPECT_EQ(problem_of(options), std::pair(Problem::unknown_format, std::string("gif")));
  options.format = "";
  options.suffix = "a/b";
  EXPECT_EQ(problem_of(options), std::pair(Problem::suffix_with_slash, std::string("a/b")));
  options.suffix = "";
  options.recursive = true;
  options.output_dir = dir / "in/out";
  EXPECT_EQ(problem_of(options), std::pair(Problem::output_scanned, (dir / "in/out").string()));
}

// The manifest's text, or "" when there is none.
std::string manifest_text(const fs::path& output_dir) {
  std::ifstream file(output_dir / kManifestName);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// What a run leaves: every output written (older than its input, so that only a record can say
// it is up to date), and recorded as made.
void make_outputs(BatchPlan& plan, const fs::path& output_dir) {
  create_output_folders(output_dir, plan);
  std::vector<FileResult> results;
  for (std::size_t i = 0; i < plan.work.size(); ++i) {
    touch(plan.work[i].output, "made");
    fs::last_write_time(plan.work[i].output,
                        fs::last_write_time(plan.work[i].input) - std::chrono::hours(1));
    results.push_back({i, FileStatus::processed, "", 4, {}});
  }
  record_in_manifest(plan, results);
}

std::vector<OutputState> states(const std::vector<BatchItem>& items) {
  std::vector<OutputState> found;
  for (const BatchItem& item : items) found.push_back(item.output_state);
  return found;
}

TEST(BatchPlanManifest, SkipsAndRedoesAsTheExtendedAttributeWould) {
  const TemporaryFolder dir;
  touch(dir / "in/a.png", "aa");
  touch(dir / "in/sub/b.png", "bb");
  BatchPlanOptions options = options_for(dir, true);
  options.records_in_manifest = true;
  options.options_digest = "sigma3";
  BatchPlan plan = plan_batch(options);
  ASSERT_TRUE(plan.manifest);
  EXPECT_EQ(relatives(plan.work), (std::vector<std::string>{"a.png", "sub/b.png"}));
  EXPECT_EQ(states(plan.work), (std::vector{OutputState::missing, OutputState::missing}));
  make_outputs(plan, options.output_dir);
  const std::string manifest = manifest_text(options.output_dir);
  EXPECT_EQ(manifest, plan.work[0].record + "\ta.png\n" + plan.work[1].record + "\tsub/b.png\n");
  EXPECT_EQ(plan.work[0].record.substr(0, 7), "size=2 ");

  plan = plan_batch(options);  // the same options: both skipped, though older than their inputs
  EXPECT_TRUE(plan.work.empty());
  EXPECT_EQ(relatives(plan.skipped), (std::vector<std::string>{"a.png", "sub/b.png"}));
  options.options_digest = "sigma5";
  plan = plan_batch(options);
  EXPECT_EQ(states(plan.work),
            (std::vector{OutputState::other_options, OutputState::other_options}));
  options.options_digest = "sigma3";
  touch(dir / "in/sub/b.png", "a newer input");
  plan = plan_batch(options);
  EXPECT_EQ(relatives(plan.work), (std::vector<std::string>{"sub/b.png"}));
  EXPECT_EQ(states(plan.work), (std::vector{OutputState::input_changed}));
  EXPECT_EQ(relatives(plan.skipped), (std::vector<std::string>{"a.png"}));
  EXPECT_EQ(manifest_text(options.output_dir), manifest);  // planning writes nothing
  EXPECT_EQ(test::files_below(options.output_dir),
            (std::set<std::string>{".pblur-manifest", "a.png", "sub/b.png"}));

  BatchPlanOptions outputs_as_inputs;  // the manifest is never an input
  outputs_as_inputs.inputs = {options.output_dir};
  outputs_as_inputs.output_dir = dir / "again";
  EXPECT_EQ(relatives(plan_batch(outputs_as_inputs).work), (std::vector<std::string>{"a.png"}));
}

TEST(BatchPlanManifest, KeepsOtherRunsRecordsAndOddNames) {
  const TemporaryFolder dir;
  const fs::path out = dir / "out/";
  fs::create_directories(out);
  OutputManifest first(out);
  OutputManifest second(out);
  first.set(dir / "out/new\nline.png", "size=1 mtime_ns=2 options=x");
  first.save();
  second.set(dir / "out/back\\slash.png", "size=3 mtime_ns=4 options=y");
  second.save();
  EXPECT_EQ(manifest_text(out),
            "size=3 mtime_ns=4 options=y\tback\\\\slash.png\n"
            "size=1 mtime_ns=2 options=x\tnew\\nline.png\n");
  std::ofstream(out / kManifestName, std::ios::app) << "no tab here\n\tno record\nr\tbad\\escape\n";
  const OutputManifest read(out);
  EXPECT_EQ(read.record_of(dir / "out/new\nline.png"), "size=1 mtime_ns=2 options=x");
  EXPECT_EQ(read.record_of(dir / "out/back\\slash.png"), "size=3 mtime_ns=4 options=y");
  EXPECT_EQ(read.record_of(dir / "out/bad\\escape"), std::nullopt);
  EXPECT_EQ(read.record_of(dir / "out/no record"), std::nullopt);
}

}  // namespace
}  // namespace pblur
