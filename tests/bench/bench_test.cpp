#include "core/bench/image_bench.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "bench_test_runtime.h"
#include "core/backends/process_backend.h"
#include "core/base/errors.h"
#include "core/bench/stream_bench.h"

namespace pblur {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

cv::Mat noise_image(int width, int height) {
  cv::Mat image(height, width, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(image, cv::RNG::UNIFORM, 0, 256);
  return image;
}

BenchOptions small_bench() {
  BenchOptions options;
  FilterSpec gaussian;
  gaussian.sigma = 3.0;
  options.spec = gaussian;
  options.worker_counts = {2, 1};
  options.repeat = 2;
  options.warmup = 1;
  return options;
}

TEST(BenchWorkerCounts, PowersOfTwoUpToTwiceTheCoresWithTheCoresThemselves) {
  EXPECT_EQ(default_worker_counts(1), (std::vector<int>{1, 2}));
  EXPECT_EQ(default_worker_counts(2), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(default_worker_counts(6), (std::vector<int>{1, 2, 4, 6, 8, 12}));
  EXPECT_EQ(default_worker_counts(16), (std::vector<int>{1, 2, 4, 8, 16, 32}));
}

TEST(BenchConfig, LabelsNameTheBackendThenItsTransportOrItsSplit) {
  const auto label = [](BackendKind kind, Transport transport, std::optional<SplitMode> split) {
    return bench_label(BenchConfig{kind, transport, split, 2, 2});
  };
  EXPECT_EQ(label(BackendKind::sequential, Transport::shared, std::nullopt), "seq");
  EXPECT_EQ(label(BackendKind::sequential, Transport::shared, SplitMode::images), "seq");
  EXPECT_EQ(label(BackendKind::threads, Transport::shared, std::nullopt), "threads");
  EXPECT_EQ(label(BackendKind::processes, Transport::shared, std::nullopt), "procs-shared");
  EXPECT_EQ(label(BackendKind::processes, Transport::copy, std::nullopt), "procs-copy");
  EXPECT_EQ(label(BackendKind::threads, Transport::shared, SplitMode::strips), "threads-strips");
  EXPECT_EQ(label(BackendKind::processes, Transport::shared, SplitMode::images), "procs-images");
}

TEST(BenchStatistics, MedianMinAndMax) {
  const DurationStats odd = duration_stats({nanoseconds(5), nanoseconds(1), nanoseconds(9)});
  EXPECT_EQ(odd.median, nanoseconds(5));
  EXPECT_EQ(odd.min, nanoseconds(1));
  EXPECT_EQ(odd.max, nanoseconds(9));
  const DurationStats even =
      duration_stats({nanoseconds(8), nanoseconds(2), nanoseconds(4), nanoseconds(100)});
  EXPECT_EQ(even.median, nanoseconds(6));
  EXPECT_EQ(even.min, nanoseconds(2));
  EXPECT_EQ(even.max, nanoseconds(100));
}

TEST(BenchStatistics, AutomaticRepeatGivesAboutThreeSecondsPerGroupWithinFiveToFifty) {
  EXPECT_EQ(automatic_repeat(milliseconds(2000)), 5);
  EXPECT_EQ(automatic_repeat(milliseconds(100)), 30);
  EXPECT_EQ(automatic_repeat(milliseconds(1)), 50);
}

TEST(BenchCheck, SameBytesPassAndAFlippedPixelIsFoundAndPlaced) {
  const cv::Mat reference = noise_image(8, 6);
  EXPECT_EQ(compare_with_reference(reference, reference.clone()), "");
  cv::Mat changed = reference.clone();
  changed.at<cv::Vec3b>(2, 3)[1] ^= 4;
  changed.at<cv::Vec3b>(5, 0)[0] ^= 1;
  EXPECT_EQ(compare_with_reference(reference, changed),
            "output differs from seq's in 2 of 48 pixels, the first at x=3 y=2");
  EXPECT_NE(compare_with_reference(reference, reference.rowRange(0, 5).clone()), "");
}

TEST(Bench, RunsEveryConfigurationInGroupsAndChecksThemAll) {
  const cv::Mat image = noise_image(64, 48);
  const BenchReport report = run_image_bench(bench_test_runtime(), image, small_bench());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.context.worker_counts, (std::vector<int>{1, 2}));
  EXPECT_EQ(report.context.repeat, 2);
  EXPECT_FALSE(report.context.repeat_automatic);
  EXPECT_EQ(report.context.image.width, 64);
  EXPECT_EQ(report.context.subject, BenchSubject::image);
  EXPECT_EQ(report.context.input.images, 1u);
  EXPECT_EQ(report.context.input.bytes, 64u * 48u * 3u);
  EXPECT_EQ(report.context.filter, "gaussian sigma=3 ksize=19 border=reflect101");
  ASSERT_EQ(report.rows.size(), 8u);
  std::size_t i = 0;
  const char* labels[] = {"seq", "threads", "procs-shared", "procs-copy"};
  for (const int group : {1, 2}) {
    for (const char* label : labels) {
      const BenchRow& r = report.rows[i++];
      SCOPED_TRACE(std::string(label) + " " + std::to_string(group));
      EXPECT_EQ(bench_label(r.config), label);
      EXPECT_EQ(r.config.split, std::nullopt);
      EXPECT_EQ(r.config.group_workers, group);
      EXPECT_EQ(r.config.workers, r.config.backend == BackendKind::sequential ? 1 : group);
      EXPECT_EQ(r.samples.size(), 2u);
      ASSERT_TRUE(r.cold.has_value());
      EXPECT_GT(r.job.median.count(), 0);
      EXPECT_LE(r.job.min, r.job.median);
      EXPECT_LE(r.job.median, r.job.max);
      EXPECT_GT(r.speedup, 0);
      EXPECT_DOUBLE_EQ(r.efficiency, r.speedup / r.config.workers);
      EXPECT_GT(r.parent_peak_rss_kb, 0);
      EXPECT_EQ(r.procs_threads_ratio.has_value(), r.config.backend == BackendKind::processes);
    }
  }
}

TEST(Bench, ProcessesReportStartUpQueueTrafficAndWorkerMemory) {
  const cv::Mat image = noise_image(64, 48);
  const BenchReport report = run_image_bench(bench_test_runtime(), image, small_bench());
  ASSERT_TRUE(report.ok());
  const std::uint64_t image_bytes = image.total() * image.elemSize();
  const BenchRow* shared = report.find("procs-shared", 2);
  const BenchRow* copy = report.find("procs-copy", 2);
  const BenchRow* threads = report.find("threads", 2);
  ASSERT_TRUE(shared && copy && threads);
  EXPECT_GT(shared->cold->phases.start_workers.count(), 0);
  EXPECT_EQ(shared->samples[0].phases.start_workers.count(), 0);  // the pool is kept
  EXPECT_GT(shared->queue_bytes, 0u);
  EXPECT_LT(shared->queue_bytes, image_bytes);    // strip descriptors only
  EXPECT_GE(copy->queue_bytes, 2 * image_bytes);  // pixels out and back
  EXPECT_GT(shared->workers_peak_rss_kb, 0);
  EXPECT_GT(copy->workers_peak_rss_kb, 0);
  EXPECT_EQ(threads->workers_peak_rss_kb, 0);
  EXPECT_EQ(threads->queue_bytes, 0u);
}

TEST(Bench, AFlippedPixelIsReportedAsAnErrorNotATiming) {
  BenchOptions options = small_bench();
  options.corrupt_output = [](const BenchConfig& c) { return bench_label(c) == "procs-copy"; };
  const cv::Mat image = noise_image(64, 48);
  const BenchReport report = run_image_bench(bench_test_runtime(), image, options);
  EXPECT_FALSE(report.ok());
  for (const BenchRow& r : report.rows) {
    SCOPED_TRACE(bench_label(r.config));
    if (bench_label(r.config) != "procs-copy") {
      EXPECT_TRUE(r.ok()) << r.error;
      continue;
    }
    EXPECT_EQ(r.error, "output differs from seq's in 1 of 3072 pixels, the first at x=0 y=0");
    EXPECT_TRUE(r.samples.empty());
    EXPECT_FALSE(r.cold.has_value());
    EXPECT_EQ(r.job.median.count(), 0);
  }
}

TEST(Bench, BadOptionsAreUsageErrors) {
  const cv::Mat image = noise_image(16, 16);
  BenchOptions options = small_bench();
  options.worker_counts = {1, 0};
  EXPECT_THROW(run_image_bench(bench_test_runtime(), image, options), UsageError);
  options.worker_counts = {1};
  FilterSpec median;
  median.kind = FilterKind::median;
  median.ksize = 4;
  options.spec = median;
  EXPECT_THROW(run_image_bench(bench_test_runtime(), image, options), UsageError);
}

// `image` written as `name` in a folder of the test's own, removed with it.
class StreamBenchFile {
 public:
  StreamBenchFile(const cv::Mat& image, const std::string& name)
      : folder_(std::filesystem::temp_directory_path() /
                ("pblur_stream_bench_" + std::to_string(getpid()))) {
    std::filesystem::create_directories(folder_);
    path_ = folder_ / name;
    EXPECT_TRUE(cv::imwrite(path_.string(), image));
  }
  ~StreamBenchFile() { std::filesystem::remove_all(folder_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path folder_;
  std::filesystem::path path_;
};

// The in-memory bench of `image`, then the streamed one of `file`, as `pblur bench` runs them.
BenchReport both_benches(const cv::Mat& image, const StreamBenchFile& file,
                         const BenchOptions& options) {
  BenchReport report = run_image_bench(bench_test_runtime(), image, options);
  run_stream_bench(bench_test_runtime(), file.path(), options, report);
  return report;
}

TEST(StreamBench, EveryBackendStreamsFileToFileWithItsBusyTimesOverlapAndPeaks) {
  const cv::Mat image = noise_image(64, 200);
  const StreamBenchFile file(image, "in.png");
  const BenchReport report = both_benches(image, file, small_bench());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.context.not_streamed, "");
  ASSERT_EQ(report.rows.size(), 16u);
  for (std::size_t i = 8; i < 16; ++i) {
    const BenchRow& r = report.rows[i];
    SCOPED_TRACE(bench_label(r.config) + " " + std::to_string(r.config.group_workers));
    EXPECT_TRUE(r.config.streamed);
    EXPECT_EQ(bench_label(r.config), bench_label(report.rows[i - 8].config));
    EXPECT_EQ(r.samples.size(), 2u);
    EXPECT_GT(r.decode.median.count(), 0);
    EXPECT_GT(r.filter.median.count(), 0);
    EXPECT_GT(r.encode.median.count(), 0);
    EXPECT_GT(r.pipeline.median.count(), 0);
    EXPECT_LE(r.pipeline.median, r.job.median);
    EXPECT_DOUBLE_EQ(r.overlap, duration_ratio(r.decode.median + r.filter.median + r.encode.median,
                                               r.pipeline.median));
    EXPECT_GT(r.parent_peak_rss_kb, 0);
    EXPECT_EQ(r.workers_peak_rss_kb > 0, is_process_config(r.config));
    EXPECT_GT(r.speedup, 0);
  }
  const BenchRow* streamed_seq = report.find("seq", 2, true);
  const BenchRow* memory_seq = report.find("seq", 2);
  ASSERT_TRUE(streamed_seq && memory_seq);
  EXPECT_TRUE(streamed_seq->config.streamed);
  EXPECT_FALSE(memory_seq->config.streamed);
}

TEST(StreamBench, AnOutputFileThatDiffersFromSeqsIsThatConfigurationsError) {
  BenchOptions options = small_bench();
  options.corrupt_output = [](const BenchConfig& c) {
    return c.streamed && bench_label(c) == "procs-shared";
  };
  const cv::Mat image = noise_image(64, 48);
  const StreamBenchFile file(image, "in.png");
  const BenchReport report = both_benches(image, file, options);
  EXPECT_FALSE(report.ok());
  int failed = 0;
  for (const BenchRow& r : report.rows) {
    if (!r.ok()) {
      ++failed;
      EXPECT_TRUE(r.config.streamed);
      EXPECT_EQ(r.error.rfind("output differs from seq's (both ", 0), 0u) << r.error;
      EXPECT_TRUE(r.samples.empty());
    }
  }
  EXPECT_EQ(failed, 2);
}

TEST(StreamBench, AnImageThatCannotStreamSaysWhyAndAddsNoRows) {
  const cv::Mat image = noise_image(32, 16);
  const StreamBenchFile file(image, "in.bmp");
  const BenchReport report = both_benches(image, file, small_bench());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.rows.size(), 8u);
  EXPECT_NE(report.context.not_streamed, "");
}

TEST(ProcessBackendPeakMemory, AWorkerCountsTheSharedPagesItReadAndWrote) {
  const cv::Mat image = noise_image(3000, 3000);
  const long image_kb = static_cast<long>(image.total() * image.elemSize() / 1024);
  FilterSpec spec;
  spec.sigma = 1.0;
  for (const Transport transport : {Transport::shared, Transport::copy}) {
    BackendChoice options;
    options.transport = transport;
    ProcessBackend backend(bench_test_runtime(), options);
    const FilterResult result = backend.filter(image, spec);
    EXPECT_GE(result.workers_peak_rss_kb, 2 * image_kb) << transport_name(transport);
  }
}

}  // namespace
}  // namespace pblur
