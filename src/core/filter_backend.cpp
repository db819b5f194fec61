#include "core/filter_backend.h"

#include "core/errors.h"
#include "core/sequential_backend.h"
#include "core/thread_backend.h"

namespace pblur {

FilterBackend::FilterBackend(const BackendChoice& choice, ProcessRuntime* runtime)
    : choice_(choice) {
  if (choice_.kind != BackendKind::processes) return;
  if (!runtime) throw std::logic_error("the process backend needs a ProcessRuntime");
  processes_ = std::make_unique<ProcessBackend>(
      *runtime, ProcessBackendOptions{choice_.workers, choice_.transport, choice_.strips,
                                      choice_.strip_timeout, choice_.stop});
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

}  // namespace pblur
