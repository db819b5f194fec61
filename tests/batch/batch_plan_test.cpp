#include "core/batch/batch_plan.h"

#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "batch_test_support.h"
#include "core/base/errors.h"
#include "core/base/stable_hash.h"

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
  options.input_dir = dir / "in";
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
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
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
  options.input_dir = dir / "photos/raw";
  options.output_dir = dir / "photos";  // raw/a.jpg -> photos/raw/a.jpg, an input
  options.recursive = true;
  EXPECT_THROW(plan_batch(options), UsageError);
}

TEST(BatchPlan, MissingInputFolderIsAnInputError) {
  const TemporaryFolder dir;
  EXPECT_THROW(plan_batch(options_for(dir)), InputError);
  touch(dir / "in");
  EXPECT_THROW(plan_batch(options_for(dir)), InputError);  // a file, not a folder
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

}  // namespace
}  // namespace pblur
