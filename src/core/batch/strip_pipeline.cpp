#include "core/batch/strip_pipeline.h"

#include <atomic>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "core/backends/filter_backend.h"
#include "core/backends/thread_backend.h"
#include "core/base/errors.h"
#include "core/batch/file_result.h"
#include "core/batch/output_record.h"
#include "core/image/image_io.h"
#include "core/os/atomic_output.h"

namespace pblur {
namespace {

using Clock = std::chrono::steady_clock;

// Three stages, each serial and in order, one image in each at a time: this image is filtered
// while the next one loads and the previous one is saved and reported.
class StripPipeline {
 public:
  StripPipeline(std::span<const BatchItem> items, const BatchRunOptions& options,
                ProcessRuntime* runtime)
      : items_(items), options_(options), backend_(options.backend, runtime, options.stop) {}

  void run(ReportedItems& reported) {
    constexpr int kStages = 3;
    using tbb::filter_mode;
    tbb::task_arena(arena_concurrency(kStages)).execute([&] {
      tbb::parallel_pipeline(
          kStages,
          tbb::make_filter<void, Image>(
              filter_mode::serial_in_order,
              [this](tbb::flow_control& control) { return load_next(control); }) &
              tbb::make_filter<Image, Image>(filter_mode::serial_in_order,
                                             [this](Image image) { return filter(image); }) &
              tbb::make_filter<Image, void>(filter_mode::serial_in_order, [&](Image image) {
                if (!image.abandoned) reported(save(image));
              }));
    });
    if (!reported.complete()) reported.interrupted();
  }

 private:
  // One image on its way: loaded, then filtered; once failed, its result says why.
  struct Image {
    cv::Mat pixels;
    ImageOrigin origin;
    FileResult result;
    OutputRules rules;
    bool abandoned = false;  // the run was stopped before it was filtered
  };

  bool stopping() const { return interrupted_ || options_.stop.stop_requested(); }

  Image load_next(tbb::flow_control& control) {
    if (next_ == items_.size() || stopping()) {
      control.stop();
      return {};
    }
    return load(next_++);
  }

  Image load(std::size_t item) {
    Image loaded;
    loaded.result.item = item;
    const BatchItem& source = items_[item];
    try {
      const auto start = Clock::now();
      loaded.rules = output_rules_for(source.input, options_.spec, options_.save);
      loaded.pixels = load_image(source.input, options_.load, &loaded.origin);
      validate(options_.spec, loaded.pixels.depth());
      check_output_can_hold(source.output, loaded.pixels, options_.save.convert);
      loaded.result.times.load = Clock::now() - start;
    } catch (const std::exception& error) {
      loaded.result = fail(item, error);
    }
    return loaded;
  }

  // `image` filtered, or failed; abandoned when the run is stopped (before or while filtering).
  Image filter(Image image) {
    if (image.result.status == FileStatus::failed) return image;
    image.abandoned = stopping();
    if (image.abandoned) return image;
    try {
      const auto start = Clock::now();
      image.pixels = backend_.filter(image.pixels, options_.spec).image;
      image.result.times.filter = Clock::now() - start;
    } catch (const Interrupted&) {
      interrupted_ = true;
      image.abandoned = true;
    } catch (const std::exception& error) {
      image.result = fail(image.result.item, error);
    }
    return image;
  }

  // The result of saving `image` (a failed one as it is).
  FileResult save(Image& image) {
    if (image.result.status == FileStatus::failed) return image.result;
    const BatchItem& target = items_[image.result.item];
    try {
      const auto start = Clock::now();
      const std::vector<uchar> bytes =
          encode_image(image.pixels, target.output, options_.save, image.origin);
      image.pixels.release();
      write_file_atomically(target.output, std::as_bytes(std::span(bytes)), image.rules);
      image.result.times.save = Clock::now() - start;
      image.result.output_bytes = bytes.size();
      image.result.warnings = image.origin.warnings;
      return image.result;
    } catch (const std::exception& error) {
      return fail(image.result.item, error);
    }
  }

  FileResult fail(std::size_t item, const std::exception& error) const {
    FileResult result;
    result.item = item;
    result.status = FileStatus::failed;
    const bool names_file =
        dynamic_cast<const InputError*>(&error) || dynamic_cast<const OutputError*>(&error);
    result.reason = names_file
                        ? error.what()
                        : "cannot filter '" + items_[item].input.string() + "': " + error.what();
    return result;
  }

  std::span<const BatchItem> items_;
  const BatchRunOptions& options_;
  FilterBackend backend_;
  std::size_t next_ = 0;
  std::atomic<bool> interrupted_{false};
};

}  // namespace

void run_strip_pipeline(std::span<const BatchItem> items, const BatchRunOptions& options,
                        ProcessRuntime* runtime, ReportedItems& reported) {
  StripPipeline(items, options, runtime).run(reported);
}

}  // namespace pblur
