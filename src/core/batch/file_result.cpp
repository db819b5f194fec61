#include "core/batch/file_result.h"

namespace pblur {

std::string_view file_status_name(FileStatus status) {
  switch (status) {
    case FileStatus::processed:
      return "processed";
    case FileStatus::skipped:
      return "skipped";
    case FileStatus::failed:
      return "failed";
  }
  return "?";
}

}  // namespace pblur
