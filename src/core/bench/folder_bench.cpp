#include "core/bench/folder_bench.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "core/base/errors.h"
#include "core/batch/batch_runner.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

// A folder of its own under the temporary directory, removed with everything in it.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string name = (fs::temp_directory_path() / "pblur-bench-batch-XXXXXX").string();
    if (!mkdtemp(name.data())) {
      throw OutputError("cannot create a temporary folder for the outputs: " +
                        std::string(std::strerror(errno)));
    }
    path_ = name;
  }
  ~ScratchFolder() {
    std::error_code error;
    fs::remove_all(path_, error);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Why `output` differs from `reference`, or "" if it is the same bytes.
std::string compare_files(const fs::path& reference, const fs::path& output,
                          const std::string& name) {
  std::error_code error;
  if (!fs::is_regular_file(reference, error)) return name + ": seq wrote no output to compare with";
  if (!fs::is_regular_file(output, error)) return name + ": no output was written";
  const std::string a = read_bytes(reference), b = read_bytes(output);
  if (a == b) return "";
  const auto first = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  const std::string sizes = a.size() == b.size()
                                ? "both " + std::to_string(a.size())
                                : std::to_string(b.size()) + " against " + std::to_string(a.size());
  return name + ": output differs from seq's (" + sizes + " bytes, the first difference at byte " +
         std::to_string(first.first - a.begin()) + ")";
}

void flip_one_byte(const fs::path& path) {
  std::string bytes = read_bytes(path);
  if (bytes.empty()) return;
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

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
  const ScratchFolder scratch_;
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
