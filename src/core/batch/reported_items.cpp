#include "core/batch/reported_items.h"

#include <algorithm>
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

}  // namespace pblur
