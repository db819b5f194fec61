#include "core/backends/filter_backend.h"

#include "core/backends/sequential_backend.h"
#include "core/backends/thread_backend.h"
#include "core/backends/threaded_stream.h"
#include "core/base/errors.h"
#include "core/filters/filters.h"
#include "core/image/whole_image.h"

namespace pblur {

FilterBackend::FilterBackend(const BackendChoice& choice, ProcessRuntime* runtime,
                             std::stop_token stop)
    : choice_(choice), stop_(std::move(stop)) {
  if (choice_.kind != BackendKind::processes) return;
  if (!runtime) throw std::logic_error("the process backend needs a ProcessRuntime");
  processes_ = std::make_unique<ProcessBackend>(*runtime, choice_, stop_);
}

cv::MatAllocator* FilterBackend::image_allocator() const {
  return processes_ ? processes_->image_allocator() : nullptr;
}

FilterResult FilterBackend::filter(const cv::Mat& image, const FilterChain& spec) {
  switch (choice_.kind) {
    case BackendKind::processes:
      return processes_->filter(image, spec);
    case BackendKind::threads:
      return filter_with_threads(image, spec, choice_.workers, choice_.strips);
    case BackendKind::sequential:
      return filter_sequential(image, spec);
  }
  throw std::logic_error("unknown backend");
}

StreamStats FilterBackend::stream(RowReader& reader, RowWriter& writer, const FilterChain& spec,
                                  const StreamOptions& options) {
  StreamOptions with_stop = options;
  if (!with_stop.stop.stop_possible()) with_stop.stop = stop_;
  if (with_stop.strips == 0) with_stop.strips = choice_.strips;
  switch (choice_.kind) {
    case BackendKind::processes:
      return processes_->stream(reader, writer, spec, with_stop);
    case BackendKind::threads:
      return stream_with_threads(reader, writer, spec, choice_.workers, with_stop);
    case BackendKind::sequential:
      return stream_whole(reader, writer, spec);
  }
  throw std::logic_error("unknown backend");
}

}  // namespace pblur
