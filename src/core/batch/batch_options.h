#pragma once

#include <stop_token>

#include "core/backends/backend_choice.h"
#include "core/batch/split_choice.h"
#include "core/filters/filter_spec.h"
#include "core/image/image_io.h"

namespace pblur {

// How run_batch filters every item of a batch.
struct BatchRunOptions {
  FilterChain spec;
  LoadOptions load;
  SaveOptions save;
  // The backend and its worker count; strip_timeout limits one task: an image (images) or a strip.
  BackendChoice backend;
  SplitMode split = SplitMode::images;  // images or strips (see choose_split)
  // When a stop is requested, run_batch stops within milliseconds (threads: after their current
  // image).
  std::stop_token stop;
};

}  // namespace pblur
