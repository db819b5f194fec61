#include "core/batch/batch_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "batch_test_support.h"
#include "core/base/errors.h"
#include "core/filters/filters.h"
#include "core/image/image_io.h"
#include "core/os/temporary_files.h"
#include "crafted_files.h"

namespace pblur {
namespace {

using testing::TemporaryFolder;
namespace fs = std::filesystem;

// One runtime for every test of the program.
ProcessRuntime* runtime = nullptr;

class RuntimeEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { runtime = new ProcessRuntime(std::size_t{4} << 30); }
  void TearDown() override {
    delete runtime;
    runtime = nullptr;
  }
};

[[maybe_unused]] auto* const environment =
    ::testing::AddGlobalTestEnvironment(new RuntimeEnvironment);

// A PNG that is only a header claiming `width` x `height` pixels.
void write_png_header(const fs::path& path, std::uint32_t width, std::uint32_t height) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << testing::png_header(width, height);
}

std::vector<BatchItem> make_items(const TemporaryFolder& dir, int count, bool with_bad = false) {
  std::vector<BatchItem> items;
  for (int i = 0; i < count; ++i) {
    const std::string name = "img" + std::to_string(i) + ".png";
    test::write_image(dir / "in" / name, test::make_image(40 + i, 30, CV_8UC3, unsigned(i)));
    items.push_back(
        {dir / "in" / name, dir / "out" / name, name, fs::file_size(dir / "in" / name)});
  }
  if (with_bad) {
    test::copy_test_file("truncated.png", dir / "in/bad.png");
    items.push_back(
        {dir / "in/bad.png", dir / "out/bad.png", "bad.png", fs::file_size(dir / "in/bad.png")});
  }
  fs::create_directories(dir / "out");
  return items;
}

BatchRunOptions options_with(BackendKind kind, int workers, SplitMode split) {
  BatchRunOptions options;
  FilterSpec gaussian;
  gaussian.sigma = 1.2;
  options.spec = gaussian;
  options.backend.kind = kind;
  options.backend.workers = workers;
  options.split = split;
  return options;
}

std::vector<FileResult> run_all(std::span<const BatchItem> items, const BatchRunOptions& options) {
  std::vector<FileResult> results;
  run_batch(items, options, runtime, [&](const FileResult& r) { results.push_back(r); });
  return results;
}

void expect_filtered(const std::vector<BatchItem>& items, const std::vector<FileResult>& results,
                     const FilterChain& spec) {
  std::vector<int> seen(items.size(), 0);
  for (const FileResult& result : results) {
    ASSERT_LT(result.item, items.size());
    ++seen[result.item];
    const BatchItem& item = items[result.item];
    if (item.relative == "bad.png") {
      EXPECT_EQ(result.status, FileStatus::failed);
      EXPECT_NE(result.reason.find("cannot read '" + item.input.string() + "'"), std::string::npos)
          << result.reason;
      EXPECT_FALSE(fs::exists(item.output));
      continue;
    }
    EXPECT_EQ(result.status, FileStatus::processed) << result.reason;
    EXPECT_EQ(result.output_bytes, fs::file_size(item.output));
    EXPECT_GT(result.times.load.count(), 0);
    EXPECT_GT(result.times.filter.count(), 0);
    EXPECT_GT(result.times.save.count(), 0);
    const cv::Mat expected = filter_image(load_image(item.input), spec);
    EXPECT_TRUE(test::same_pixels(test::read_image(item.output), expected)) << item.relative;
  }
  for (std::size_t i = 0; i < items.size(); ++i) EXPECT_EQ(seen[i], 1) << items[i].relative;
}

TEST(ChooseSplit, ImagesWhenEveryWorkerHasOneStripsWhenTooFew) {
  const TemporaryFolder dir;
  const auto items = make_items(dir, 3);
  EXPECT_EQ(choose_split(SplitMode::automatic, items, 2).mode, SplitMode::images);
  EXPECT_EQ(choose_split(SplitMode::automatic, items, 3).mode, SplitMode::images);
  const SplitDecision few = choose_split(SplitMode::automatic, items, 4);
  EXPECT_EQ(few.mode, SplitMode::strips);
  EXPECT_EQ(few.reason, "3 images < 4 workers");
  EXPECT_EQ(choose_split(SplitMode::strips, items, 1).mode, SplitMode::strips);
  EXPECT_EQ(choose_split(SplitMode::images, items, 8).mode, SplitMode::images);
}

// WebP outputs are encoded whole, so each worker would hold its image whole.
TEST(ChooseSplit, StripsWhenOneImagePerWorkerWouldNotFitInMemory) {
  const TemporaryFolder dir;
  std::vector<BatchItem> items;
  for (const char* name : {"a.png", "b.png"}) {
    write_png_header(dir / name, 200000, 100000);  // 20 gigapixels, by its header
    items.push_back({dir / name, dir / "out" / fs::path(name).replace_extension(".webp"), name,
                     fs::file_size(dir / name)});
  }
  const SplitDecision decision = choose_split(SplitMode::automatic, items, 2);
  EXPECT_EQ(decision.mode, SplitMode::strips);
  EXPECT_NE(decision.reason.find("more than half the memory"), std::string::npos)
      << decision.reason;
}

// The same pixels streamed (a PNG in, a PNG out) cost each worker a window of rows.
TEST(ChooseSplit, StreamedImagesCostAWindowNotTheirPixels) {
  const TemporaryFolder dir;
  std::vector<BatchItem> items;
  for (const char* name : {"a.png", "b.png"}) {
    fs::create_directories(dir.path());
    std::ofstream(dir / name, std::ios::binary) << testing::png_with_one_row(60000, 1000000);
    items.push_back({dir / name, dir / "out" / name, name, fs::file_size(dir / name)});
  }
  const SplitDecision decision = choose_split(SplitMode::automatic, items, 2);
  EXPECT_EQ(decision.mode, SplitMode::images) << decision.reason;
  EXPECT_EQ(decision.reason, "2 images >= 2 workers");
  items[1].output.replace_extension(".webp");
  EXPECT_EQ(choose_split(SplitMode::automatic, items, 2).mode, SplitMode::strips);
}

TEST(RunBatch, ImagesInWorkerProcesses) {
  const TemporaryFolder dir;
  const auto items = make_items(dir, 7, true);
  const auto options = options_with(BackendKind::processes, 2, SplitMode::images);
  expect_filtered(items, run_all(items, options), options.spec);
}

TEST(RunBatch, StripsInWorkerProcesses) {
  const TemporaryFolder dir;
  const auto items = make_items(dir, 5, true);
  auto options = options_with(BackendKind::processes, 2, SplitMode::strips);
  options.backend.strips = 3;
  expect_filtered(items, run_all(items, options), options.spec);
}

TEST(RunBatch, ImagesInThreads) {
  const TemporaryFolder dir;
  const auto items = make_items(dir, 6, true);
  const auto options = options_with(BackendKind::threads, 3, SplitMode::images);
  expect_filtered(items, run_all(items, options), options.spec);
}

TEST(RunBatch, StripsInThreadsAndSequential) {
  const TemporaryFolder dir;
  const auto items = make_items(dir, 4, true);
  for (const BackendKind kind : {BackendKind::threads, BackendKind::sequential}) {
    const auto options = options_with(kind, 2, SplitMode::strips);
    expect_filtered(items, run_all(items, options), options.spec);
    for (const BatchItem& item : items) fs::remove(item.output);
  }
}

TEST(RunBatch, StopBeforeStartWritesNothing) {
  const TemporaryFolder dir;
  const auto items = make_items(dir, 4);
  std::stop_source stop;
  stop.request_stop();
  for (const SplitMode split : {SplitMode::images, SplitMode::strips}) {
    for (const BackendKind kind : {BackendKind::processes, BackendKind::threads}) {
      auto options = options_with(kind, 2, split);
      options.stop = stop.get_token();
      std::vector<FileResult> results;
      EXPECT_THROW(
          run_batch(items, options, runtime, [&](const FileResult& r) { results.push_back(r); }),
          Interrupted);
      EXPECT_TRUE(results.empty());
      EXPECT_TRUE(test::files_below(dir / "out").empty());
    }
  }
}

// A process id means something only on the machine that wrote it: a name without this
// machine's (as pblur 0.1.0 wrote them) waits for kAbandonedTemporaryAge.
TEST(AbandonedTemporaries, OnlyThoseOfThisMachinesProcessesThatAreGone) {
  const TemporaryFolder dir;
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);
  const std::string ours = NamedTemporary(dir / "z.png").path().filename();
  const std::string owner = ours.substr(13, ours.rfind('-', ours.rfind('-') - 1) - 13);
  const std::string alive = owner + "-" + std::to_string(getpid());
  const std::string dead = owner + "-" + std::to_string(gone);
  const std::set<std::string> kept{".b.png.pblur-" + alive + "-3.tmp",
                                   "c.png",
                                   ".d.png.pblur-x-0.tmp",
                                   "e.pblur-" + dead + "-0.tmp",
                                   ".f.png.pblur-" + dead + "-1.tmpx",
                                   ".g.png.pblur-" + std::to_string(gone) + "-0.tmp"};
  for (const std::string& name : kept) std::ofstream(dir / name) << "x";
  std::ofstream(dir / (".a.png.pblur-" + dead + "-0.tmp")) << "x";
  remove_abandoned_temporaries(dir.path());
  EXPECT_EQ(test::files_below(dir.path()), kept);
}

}  // namespace
}  // namespace pblur
