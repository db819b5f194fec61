#include "core/batch/reported_items.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "core/base/errors.h"
#include "core/os/temporary_files.h"

namespace pblur {

void ReportedItems::operator()(const FileResult& result) {
  reported_[result.item] = true;
  report_(result);
}

bool ReportedItems::complete() const {
  return std::find(reported_.begin(), reported_.end(), false) == reported_.end();
}

void ReportedItems::interrupted() const {
  std::set<std::filesystem::path> folders;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (!reported_[i]) folders.insert(items_[i].output.parent_path());
  }
  for (const auto& folder : folders) remove_abandoned_temporaries(folder);
  throw Interrupted("stopped before every image was done");
}

bool stop_requested(const BatchRunOptions& options) {
  return options.stop.stop_requested();
}

ImageJob job_for(const BatchItem& item, const BatchRunOptions& options) {
  return ImageJob{item.input, item.output, options.spec, options.load, options.save};
}

// Largest files first: the last images to finish are then the small ones, and no worker is left
// alone with a big image at the end.
std::vector<std::size_t> largest_first(std::span<const BatchItem> items) {
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return items[a].input_bytes > items[b].input_bytes;
  });
  return order;
}

}  // namespace pblur
