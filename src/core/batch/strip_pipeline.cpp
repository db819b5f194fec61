#include "core/batch/strip_pipeline.h"

#include <atomic>
#include <optional>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "core/backends/file_stream.h"
#include "core/backends/filter_backend.h"
#include "core/backends/sequential_stream.h"
#include "core/backends/thread_backend.h"
#include "core/base/errors.h"
#include "core/batch/file_result.h"
#include "core/batch/output_record.h"
#include "core/image/image_io.h"
#include "core/os/atomic_output.h"

namespace pblur {
namespace {

using Clock = std::chrono::steady_clock;

// Two stages, each serial and in order, one image in each at a time: an image is streamed
// through the workers (decoded, filtered and encoded at once, strip by strip), or, where it
// cannot stream, loaded and filtered whole while the previous one is saved and reported.
class StripPipeline {
 public:
  StripPipeline(std::span<const BatchItem> items, const BatchRunOptions& options,
                ProcessRuntime* runtime)
      : items_(items), options_(options), backend_(options.backend, runtime, options.stop) {}

  void run(ReportedItems& reported) {
    constexpr int kStages = 2;
    using tbb::filter_mode;
    tbb::task_arena(arena_concurrency(kStages)).execute([&] {
      tbb::parallel_pipeline(
          kStages,
          tbb::make_filter<void, Image>(
              filter_mode::serial_in_order,
              [this](tbb::flow_control& control) { return filter_next(control); }) &
              tbb::make_filter<Image, void>(filter_mode::serial_in_order, [&](Image image) {
                if (!image.abandoned) reported(save(image));
              }));
    });
    if (!reported.complete()) reported.interrupted();
  }

 private:
  // One image on its way: streamed (done), or filtered whole and still to be saved; once
  // failed, its result says why.
  struct Image {
    cv::Mat pixels;
    ImageOrigin origin;
    FileResult result;
    OutputRules rules;
    bool saved = false;
    bool abandoned = false;  // the run was stopped before it was done
  };

  bool stopping() const { return interrupted_ || options_.stop.stop_requested(); }

  Image filter_next(tbb::flow_control& control) {
    if (next_ == items_.size() || stopping()) {
      control.stop();
      return {};
    }
    Image image;
    image.result.item = next_++;
    try {
      image.rules = output_rules_for(items_[image.result.item].input, options_.spec, options_.save);
      if (!stream(image)) filter_whole(image);
    } catch (const Interrupted&) {
      interrupted_ = true;
      image.abandoned = true;
    } catch (const std::exception& error) {
      image.result = fail(image.result.item, error);
    }
    return image;
  }

  // Streams `image` through the backend as `pblur IN OUT` does; false where it must go the
  // whole-image way, or where its input turned out corrupt or cut short.
  bool stream(Image& image) {
    const BatchItem& source = items_[image.result.item];
    FileStreamOptions stream_options{options_.load.max_pixels, options_.save, image.rules, {}};
    stream_options.stream.stop = options_.stop;
    FileStreamResult streamed;
    try {
      streamed =
          stream_file(row_stream(), source.input, source.output, options_.spec, stream_options);
    } catch (const InputError&) {  // the whole-image way says why as `pblur batch` always has
      return false;
    }
    if (!streamed.streamed) return false;
    image.result.output_bytes = streamed.output_bytes;
    image.result.times = {streamed.stats.decode, streamed.stats.filter, streamed.stats.encode};
    image.result.warnings = streamed.warnings;
    image.saved = true;
    return true;
  }

  // The backend's stream; with --seq, one strip at a time on this thread rather than the
  // sequential backend's whole-image reference.
  RowStream row_stream() {
    if (options_.backend.kind == BackendKind::sequential) return stream_sequentially;
    return [this](RowReader& reader, RowWriter& writer, const FilterChain& spec,
                  const StreamOptions& options) {
      return backend_.stream(reader, writer, spec, options);
    };
  }

  void filter_whole(Image& image) {
    const BatchItem& source = items_[image.result.item];
    auto start = Clock::now();
    image.pixels = load_image(source.input, options_.load, &image.origin);
    validate(options_.spec, image.pixels.depth());
    check_output_can_hold(source.output, image.pixels, options_.save.convert);
    image.result.times.load = Clock::now() - start;
    image.abandoned = stopping();
    if (image.abandoned) return;
    start = Clock::now();
    image.pixels = backend_.filter(image.pixels, options_.spec).image;
    image.result.times.filter = Clock::now() - start;
  }

  // The result of saving `image` (a streamed or failed one as it is).
  FileResult save(Image& image) {
    if (image.saved || image.result.status == FileStatus::failed) return image.result;
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
