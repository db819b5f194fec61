#include "core/batch/strip_pipeline.h"

#include <future>
#include <optional>

#include "core/base/errors.h"
#include "core/batch/output_record.h"
#include "core/image/image_io.h"
#include "core/os/atomic_output.h"

namespace pblur {
namespace {

using Clock = std::chrono::steady_clock;

class StripPipeline {
 public:
  StripPipeline(std::span<const BatchItem> items, const BatchRunOptions& options,
                ProcessRuntime* runtime)
      : items_(items), options_(options), backend_(options.backend, runtime, options.stop) {}

  void run(ReportedItems& reported) {
    std::future<Loaded> next = std::async(std::launch::async, &StripPipeline::load, this, 0);
    std::future<FileResult> saving;
    for (std::size_t i = 0; i < items_.size() && !stop_requested(options_); ++i) {
      Loaded current = next.get();
      if (i + 1 < items_.size() && !stop_requested(options_))
        next = std::async(std::launch::async, &StripPipeline::load, this, i + 1);
      if (current.result.status == FileStatus::failed) {
        reported(current.result);
        continue;
      }
      std::optional<FilterResult> filtered = filter(current, saving, reported);
      if (!filtered) continue;
      if (saving.valid()) reported(saving.get());
      saving = std::async(std::launch::async, &StripPipeline::save, this, std::move(current),
                          std::move(filtered->image));
    }
    if (saving.valid()) reported(saving.get());
    if (next.valid()) next.wait();
    if (!reported.complete()) reported.interrupted();
  }

 private:
  struct Loaded {
    cv::Mat image;
    ImageOrigin origin;
    FileResult result;
    OutputRules rules;
  };

  Loaded load(std::size_t item) {
    Loaded loaded;
    loaded.result.item = item;
    const BatchItem& source = items_[item];
    try {
      const auto start = Clock::now();
      loaded.rules = output_rules_for(source.input, options_.spec, options_.save);
      loaded.image = load_image(source.input, options_.load, &loaded.origin);
      validate(options_.spec, loaded.image.depth());
      check_output_can_hold(source.output, loaded.image);
      loaded.result.times.load = Clock::now() - start;
    } catch (const std::exception& error) {
      loaded.result = fail(item, error);
    }
    return loaded;
  }

  // The filtered image, or nullopt after reporting the failure. On Interrupted, waits for the
  // previous image's save (a whole image, kept), reports it and passes the exception on.
  std::optional<FilterResult> filter(Loaded& current, std::future<FileResult>& saving,
                                     ReportedItems& reported) {
    try {
      const auto start = Clock::now();
      FilterResult filtered = backend_.filter(current.image, options_.spec);
      current.result.times.filter = Clock::now() - start;
      current.image.release();
      return filtered;
    } catch (const Interrupted&) {
      if (saving.valid()) reported(saving.get());
      reported.interrupted();
    } catch (const std::exception& error) {
      reported(fail(current.result.item, error));
    }
    return std::nullopt;
  }

  FileResult save(Loaded loaded, cv::Mat filtered) {
    const BatchItem& target = items_[loaded.result.item];
    try {
      const auto start = Clock::now();
      const std::vector<uchar> bytes =
          encode_image(filtered, target.output, options_.save, loaded.origin);
      write_file_atomically(target.output, std::as_bytes(std::span(bytes)), loaded.rules);
      loaded.result.times.save = Clock::now() - start;
      loaded.result.output_bytes = bytes.size();
      return loaded.result;
    } catch (const std::exception& error) {
      return fail(loaded.result.item, error);
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
};

}  // namespace

void run_strip_pipeline(std::span<const BatchItem> items, const BatchRunOptions& options,
                        ProcessRuntime* runtime, ReportedItems& reported) {
  StripPipeline(items, options, runtime).run(reported);
}

}  // namespace pblur
