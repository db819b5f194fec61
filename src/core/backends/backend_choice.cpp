#include "core/backends/backend_choice.h"

#include "core/base/enum_names.h"

namespace pblur {
namespace {

constexpr auto kBackendNames = enum_names<BackendKind>({
    {BackendKind::processes, "procs"},
    {BackendKind::threads, "threads"},
    {BackendKind::sequential, "seq"},
});

}  // namespace

std::string_view backend_name(BackendKind kind) {
  return kBackendNames.to_name(kind);
}

std::string_view transport_name(Transport transport) {
  return kTransportNames.to_name(transport);
}

std::optional<Transport> parse_transport(std::string_view name) {
  return kTransportNames.from_name(name);
}

}  // namespace pblur
