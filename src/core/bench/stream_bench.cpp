#include "core/bench/stream_bench.h"

#include <cctype>
#include <cstddef>
#include <exception>
#include <memory>

#include "core/backends/file_stream.h"
#include "core/backends/filter_backend.h"
#include "core/bench/bench_outputs.h"
#include "core/image/row_codecs.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

// Thrown out of the engine by the first run when the input cannot stream.
struct NotStreamed : std::exception {
  explicit NotStreamed(std::string why) : reason(std::move(why)) {}
  const char* what() const noexcept override { return reason.c_str(); }
  std::string reason;
};

// The input's extension where pblur writes that format row by row, else ".png".
std::string output_extension(const fs::path& input) {
  std::string extension = input.extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return writer_streams(extension) ? extension : ".png";
}

// One configuration with its backend, whose worker pool lives as long as this, writing one file.
class StreamTrial : public BenchTrial {
 public:
  StreamTrial(const BenchConfig& config, ProcessRuntime& runtime, const fs::path& input,
              fs::path output, const fs::path& reference, const BenchOptions& options)
      : backend_(backend_choice_of(config, options.strips), &runtime, options.stop),
        input_(input),
        output_(std::move(output)),
        reference_(reference),
        options_(options) {}

  // An output left by an earlier run would hide one that was not written.
  void prepare() override {
    std::error_code error;
    fs::remove(output_, error);
  }

  BenchSample run() override {
    FileStreamOptions file;
    file.stream.strips = options_.strips;
    file.stream.stop = options_.stop;
    const FileStreamResult result = stream_file(backend_, input_, output_, options_.spec, file);
    if (!result.streamed) throw NotStreamed(result.whole_image_reason);
    const StreamStats& stats = result.stats;
    BenchSample sample;
    sample.phases.filter = stats.filter;
    sample.decode = stats.decode;
    sample.encode = stats.encode;
    sample.pipeline = stats.wall;
    sample.queue_bytes = stats.queue_bytes;
    sample.workers_replaced = stats.workers_replaced;
    sample.workers_peak_rss_kb = stats.workers_peak_rss_kb;
    return sample;
  }

  void corrupt_output() override { flip_one_byte(output_); }

  std::string check_output() override {
    std::error_code error;
    if (backend_.choice().kind == BackendKind::sequential && !fs::exists(reference_, error)) {
      fs::copy_file(output_, reference_, error);
      if (error) return "cannot keep seq's output to compare with: " + error.message();
    }
    return compare_files(reference_, output_, "");
  }

 private:
  FilterBackend backend_;
  const fs::path& input_;
  fs::path output_;
  const fs::path& reference_;  // the first sequential output
  const BenchOptions& options_;
};

class StreamWorkload : public BenchWorkload {
 public:
  StreamWorkload(ProcessRuntime& runtime, const fs::path& input, const BenchOptions& options)
      : runtime_(runtime),
        input_(input),
        extension_(output_extension(input)),
        reference_(scratch_.path() / ("reference" + extension_)),
        options_(options) {}

  std::span<const BenchConfig> configs() const override { return kStreamBenchConfigs; }

  std::unique_ptr<BenchTrial> trial(const BenchConfig& config) override {
    const std::string name = bench_label(config) + "-" + std::to_string(config.group_workers);
    return std::make_unique<StreamTrial>(
        config, runtime_, input_, scratch_.path() / (name + extension_), reference_, options_);
  }

 private:
  ProcessRuntime& runtime_;
  const fs::path input_;
  const ScratchFolder scratch_{"pblur-bench-stream-"};
  const std::string extension_;
  const fs::path reference_;
  const BenchOptions& options_;
};

}  // namespace

void run_stream_bench(ProcessRuntime& runtime, const fs::path& input, const BenchOptions& options,
                      BenchReport& report) {
  const auto first = static_cast<std::ptrdiff_t>(report.rows.size());
  StreamWorkload workload(runtime, input, options);
  try {
    run_bench_engine(workload, options, report);
  } catch (const NotStreamed& not_streamed) {
    report.rows.erase(report.rows.begin() + first, report.rows.end());
    report.context.not_streamed = not_streamed.reason;
  }
}

}  // namespace pblur
