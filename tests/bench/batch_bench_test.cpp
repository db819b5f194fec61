#include "core/bench/folder_bench.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "bench_test_runtime.h"
#include "core/base/errors.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

// Four small images in a folder of the test's own, and TMPDIR pointing at an empty folder beside
// them, for the benchmark's temporary outputs.
class BatchBench : public testing::Test {
 protected:
  void SetUp() override {
    const auto* test = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("pblur_batch_bench_" + std::to_string(getpid()) + "_" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
    fs::create_directories(dir_ / "tmp");
    cv::RNG rng(3);
    for (int i = 0; i < 4; ++i) {
      cv::Mat image(40 + i, 56, CV_8UC3);
      rng.fill(image, cv::RNG::UNIFORM, 0, 256);
      BatchItem item;
      item.relative = "img" + std::to_string(i) + (i % 2 ? ".jpg" : ".png");
      item.input = dir_ / "in" / item.relative;
      ASSERT_TRUE(cv::imwrite(item.input.string(), image));
      item.input_bytes = fs::file_size(item.input);
      items_.push_back(item);
    }
    setenv("TMPDIR", (dir_ / "tmp").c_str(), 1);
  }
  void TearDown() override {
    unsetenv("TMPDIR");
    fs::remove_all(dir_);
  }

  static BenchOptions quick() {
    BenchOptions options;
    options.worker_counts = {2, 1};
    options.repeat = 2;
    options.warmup = 0;
    return options;
  }

  bool temporary_folder_is_empty() const { return fs::is_empty(dir_ / "tmp"); }

  fs::path dir_;
  std::vector<BatchItem> items_;
};

TEST_F(BatchBench, EveryBackendAndSplitIsMeasuredAgainstSeqInEachGroup) {
  const BenchReport report = run_folder_bench(bench_test_runtime(), items_, LoadOptions{}, quick());
  EXPECT_TRUE(temporary_folder_is_empty());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.context.subject, BenchSubject::folder);
  EXPECT_EQ(report.context.image.height, 40);  // the first image's
  EXPECT_EQ(report.context.input.images, 4u);
  EXPECT_EQ(report.context.input.bytes, items_[0].input_bytes + items_[1].input_bytes +
                                            items_[2].input_bytes + items_[3].input_bytes);
  EXPECT_EQ(report.context.worker_counts, (std::vector<int>{1, 2}));
  ASSERT_EQ(report.rows.size(), 10u);
  const char* labels[] = {"seq", "procs-images", "procs-strips", "threads-images",
                          "threads-strips"};
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const BenchRow& r = report.rows[i];
    const int group = i < 5 ? 1 : 2;
    SCOPED_TRACE(bench_label(r.config) + " " + std::to_string(group));
    EXPECT_EQ(bench_label(r.config), labels[i % 5]);
    EXPECT_EQ(r.config.group_workers, group);
    EXPECT_EQ(r.config.workers, r.config.backend == BackendKind::sequential ? 1 : group);
    EXPECT_EQ(r.samples.size(), 2u);
    EXPECT_TRUE(r.cold.has_value());
    EXPECT_GT(r.images_per_second.min, 0);
    EXPECT_LE(r.images_per_second.min, r.images_per_second.median);
    EXPECT_LE(r.images_per_second.median, r.images_per_second.max);
    EXPECT_GT(r.input_mb_per_second, 0);
    EXPECT_GT(r.speedup, 0);
    EXPECT_EQ(r.procs_threads_ratio.has_value(), r.config.backend == BackendKind::processes);
  }
}

TEST_F(BatchBench, AnOutputThatDiffersFromSeqIsThatConfigurationsError) {
  BenchOptions options = quick();
  options.corrupt_output = [](const BenchConfig& c) { return bench_label(c) == "threads-images"; };
  const BenchReport report = run_folder_bench(bench_test_runtime(), items_, LoadOptions{}, options);
  EXPECT_TRUE(temporary_folder_is_empty());
  EXPECT_FALSE(report.ok());
  for (const BenchRow& r : report.rows) {
    SCOPED_TRACE(bench_label(r.config));
    if (bench_label(r.config) == "threads-images") {
      EXPECT_EQ(r.error.rfind("img0.png: output differs from seq's (both ", 0), 0u) << r.error;
      EXPECT_TRUE(r.samples.empty());
    } else {
      EXPECT_TRUE(r.ok()) << r.error;
    }
  }
}

TEST_F(BatchBench, StoppingThrowsInterruptedAndLeavesNoOutputs) {
  std::stop_source stop;
  stop.request_stop();
  BenchOptions options = quick();
  options.stop = stop.get_token();
  EXPECT_THROW(run_folder_bench(bench_test_runtime(), items_, LoadOptions{}, options), Interrupted);
  EXPECT_TRUE(temporary_folder_is_empty());
}

TEST_F(BatchBench, NoImagesOrBadOptionsAreRefused) {
  EXPECT_THROW(run_folder_bench(bench_test_runtime(), {}, LoadOptions{}, quick()), InputError);
  BenchOptions options = quick();
  options.worker_counts = {0};
  EXPECT_THROW(run_folder_bench(bench_test_runtime(), items_, LoadOptions{}, options), UsageError);
  EXPECT_TRUE(temporary_folder_is_empty());
}

}  // namespace
}  // namespace pblur
