#include "core/bench/folder_bench.h"

#include <filesystem>
#include <numeric>

#include "core/base/errors.h"
#include "core/batch/batch_runner.h"
#include "core/bench/bench_outputs.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

// The items, writing into `folder` under their relative paths.
std::vector<BatchItem> items_writing_to(std::span<const BatchItem> items, const fs::path& folder) {
  std::vector<BatchItem> moved(items.begin(), items.end());
  for (BatchItem& item : moved) {
    item.output = folder / fs::path(item.relative);
    fs::create_directories(item.output.parent_path());
  }
  return moved;
}

// One configuration writing into a folder of its own, removed when this goes.
class FolderTrial : public BenchTrial {
 public:
  FolderTrial(std::vector<BatchItem> items, fs::path folder, fs::path reference,
              BatchRunOptions run, ProcessRuntime& runtime)
      : items_(std::move(items)),
        folder_(std::move(folder)),
        reference_(std::move(reference)),
        run_(std::move(run)),
        runtime_(runtime) {}
  ~FolderTrial() override {
    std::error_code error;
    fs::remove_all(folder_, error);
  }
  FolderTrial(const FolderTrial&) = delete;
  FolderTrial& operator=(const FolderTrial&) = delete;

  // Outputs left by an earlier run would hide one that was not written.
  void prepare() override {
    std::error_code error;
    for (const BatchItem& item : items_) fs::remove(item.output, error);
  }

  BenchSample run() override {
    std::string failure;
    run_batch(items_, run_, &runtime_, [&](const FileResult& file) {
      if (file.status == FileStatus::failed && failure.empty()) failure = file.reason;
    });
    if (!failure.empty()) throw ProcessingError(failure);
    return {};
  }

  void corrupt_output() override { flip_one_byte(items_.front().output); }

  std::string check_output() override {
    if (reference_ == folder_) return "";
    for (const BatchItem& item : items_) {
      std::string difference =
          compare_files(reference_ / fs::path(item.relative), item.output, item.relative);
      if (!difference.empty()) return difference;
    }
    return "";
  }

 private:
  std::vector<BatchItem> items_;
  fs::path folder_;     // where its outputs go
  fs::path reference_;  // where the sequential reference of its group writes
  BatchRunOptions run_;
  ProcessRuntime& runtime_;
};

class FolderWorkload : public BenchWorkload {
 public:
  FolderWorkload(ProcessRuntime& runtime, std::span<const BatchItem> items, const LoadOptions& load,
                 const BenchOptions& options)
      : runtime_(runtime), items_(items), load_(load), options_(options) {}

  std::span<const BenchConfig> configs() const override { return kFolderBenchConfigs; }

  std::unique_ptr<BenchTrial> trial(const BenchConfig& config) override {
    const fs::path folder =
        scratch_.path() / (bench_label(config) + "-" + std::to_string(config.group_workers));
    if (config.backend == BackendKind::sequential) reference_ = folder;
    return std::make_unique<FolderTrial>(items_writing_to(items_, folder), folder, reference_,
                                         run_options(config), runtime_);
  }

 private:
  BatchRunOptions run_options(const BenchConfig& config) const {
    BatchRunOptions run;
    run.spec = options_.spec;
    run.load = load_;
    run.backend.kind = config.backend;
    run.backend.transport = config.transport;
    run.backend.workers = config.workers;
    run.split = config.split.value_or(SplitMode::images);
    run.stop = options_.stop;
    return run;
  }

  ProcessRuntime& runtime_;
  std::span<const BatchItem> items_;
  const LoadOptions& load_;
  const BenchOptions& options_;
  const ScratchFolder scratch_{"pblur-bench-batch-"};
  fs::path reference_;  // the sequential reference's folder in the group being measured
};

BenchInput describe_input(std::span<const BatchItem> items) {
  const std::uint64_t bytes = std::accumulate(
      items.begin(), items.end(), std::uint64_t{0},
      [](std::uint64_t sum, const BatchItem& item) { return sum + item.input_bytes; });
  return {items.size(), bytes};
}

}  // namespace

BenchReport run_folder_bench(ProcessRuntime& runtime, std::span<const BatchItem> items,
                             const LoadOptions& load, const BenchOptions& options) {
  if (items.empty()) throw InputError("no images to measure");
  const cv::Mat first = load_image(items.front().input, load);
  validate_bench_options(options, first.depth());
  BenchReport report;
  report.context = make_bench_context(BenchSubject::folder, first, options.spec,
                                      options.worker_counts, options.repeat, options.warmup);
  report.context.input = describe_input(items);
  FolderWorkload workload(runtime, items, load, options);
  run_bench_engine(workload, options, report);
  return report;
}

}  // namespace pblur
