#include "core/batch/file_result.h"

#include "core/base/enum_names.h"

namespace pblur {
namespace {

constexpr auto kFileStatusNames = enum_names<FileStatus>({
    {FileStatus::processed, "processed"},
    {FileStatus::skipped, "skipped"},
    {FileStatus::failed, "failed"},
});

}  // namespace

std::string_view file_status_name(FileStatus status) {
  return kFileStatusNames.to_name(status);
}

}  // namespace pblur
