#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/batch/batch_plan.h"
#include "core/batch/file_result.h"

namespace pblur {

// Passes finished files on to a FileReport and remembers which were reported, so that an
// interrupted run can clean up after the rest.
class ReportedItems {
 public:
  ReportedItems(std::span<const BatchItem> items, const FileReport& report)
      : items_(items), report_(report), reported_(items.size(), false) {}

  void operator()(const FileResult& result);
  bool complete() const;

  // Removes what workers killed on the way out left in the folders of the files not reported,
  // then throws Interrupted.
  [[noreturn]] void interrupted() const;

 private:
  std::span<const BatchItem> items_;
  const FileReport& report_;
  std::vector<bool> reported_;
};

}  // namespace pblur
