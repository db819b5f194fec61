#include "core/bench/image_bench.h"

#include <cstring>
#include <memory>

#include "core/backends/filter_backend.h"
#include "core/base/errors.h"

namespace pblur {
namespace {

std::string describe_size(const cv::Mat& image) {
  return std::to_string(image.cols) + "x" + std::to_string(image.rows) + " of type " +
         std::to_string(image.type());
}

// The decoded image, and the same pixels in shared memory, where pblur decodes an image for the
// shared transport: that transport's job then starts without a copy, like pblur's own.
struct ImageInputs {
  ImageInputs(const cv::Mat& decoded, SharedArena& arena) : image(decoded) {
    in_shared_memory.allocator = arena.mat_allocator();
    decoded.copyTo(in_shared_memory);
  }
  const cv::Mat& for_config(const BenchConfig& config) const {
    const bool shared = is_process_config(config) && config.transport == Transport::shared;
    return shared ? in_shared_memory : image;
  }

  const cv::Mat& image;
  cv::Mat in_shared_memory;
};

// One configuration with its backend, whose worker pool lives as long as this.
class ImageTrial : public BenchTrial {
 public:
  ImageTrial(const BenchConfig& config, ProcessRuntime& runtime, const ImageInputs& inputs,
             const BenchOptions& options, cv::Mat& reference)
      : backend_(backend_choice_of(config, options.strips), &runtime),
        input_(inputs.for_config(config)),
        spec_(options.spec),
        is_reference_(config.backend == BackendKind::sequential),
        reference_(reference) {}

  BenchSample run() override {
    FilterResult result = backend_.filter(input_, spec_);
    output_ = std::move(result.image);
    BenchSample sample;
    sample.phases = result.times;
    sample.queue_bytes = result.queue_bytes;
    sample.workers_replaced = result.workers_replaced;
    sample.workers_peak_rss_kb = result.workers_peak_rss_kb;
    return sample;
  }

  void corrupt_output() override {
    if (!output_.empty()) output_.data[0] ^= 1;
  }

  std::string check_output() override {
    if (reference_.empty()) {
      if (!is_reference_) return "seq gave no output to compare with";
      reference_ = output_.clone();
      return "";
    }
    return compare_with_reference(reference_, output_);
  }

 private:
  FilterBackend backend_;
  const cv::Mat& input_;
  const FilterChain& spec_;
  bool is_reference_;
  cv::Mat& reference_;  // the first sequential output
  cv::Mat output_;
};

class ImageWorkload : public BenchWorkload {
 public:
  ImageWorkload(ProcessRuntime& runtime, const cv::Mat& image, const BenchOptions& options)
      : runtime_(runtime), inputs_(image, runtime.arena), options_(options) {}

  std::span<const BenchConfig> configs() const override { return kImageBenchConfigs; }

  std::unique_ptr<BenchTrial> trial(const BenchConfig& config) override {
    return std::make_unique<ImageTrial>(config, runtime_, inputs_, options_, reference_);
  }

 private:
  ProcessRuntime& runtime_;
  const ImageInputs inputs_;
  const BenchOptions& options_;
  cv::Mat reference_;
};

}  // namespace

std::string compare_with_reference(const cv::Mat& reference, const cv::Mat& output) {
  if (output.size() != reference.size() || output.type() != reference.type()) {
    return "output is " + describe_size(output) + ", seq's is " + describe_size(reference);
  }
  const std::size_t pixel_bytes = reference.elemSize();
  const std::size_t row_bytes = std::size_t(reference.cols) * pixel_bytes;
  std::uint64_t differing = 0;
  int first_x = -1, first_y = -1;
  for (int y = 0; y < reference.rows; ++y) {
    const uchar* a = reference.ptr(y);
    const uchar* b = output.ptr(y);
    if (std::memcmp(a, b, row_bytes) == 0) continue;
    for (int x = 0; x < reference.cols; ++x) {
      if (std::memcmp(a + std::size_t(x) * pixel_bytes, b + std::size_t(x) * pixel_bytes,
                      pixel_bytes) == 0) {
        continue;
      }
      if (differing++ == 0) first_x = x, first_y = y;
    }
  }
  if (differing == 0) return "";
  return "output differs from seq's in " + std::to_string(differing) + " of " +
         std::to_string(reference.total()) + " pixels, the first at x=" + std::to_string(first_x) +
         " y=" + std::to_string(first_y);
}

BenchReport run_image_bench(ProcessRuntime& runtime, const cv::Mat& image,
                            const BenchOptions& options) {
  validate_bench_options(options, image.depth());
  BenchReport report;
  report.context = make_bench_context(BenchSubject::image, image, options.spec,
                                      options.worker_counts, options.repeat, options.warmup);
  ImageWorkload workload(runtime, image, options);
  run_bench_engine(workload, options, report);
  return report;
}

}  // namespace pblur
