#include "core/backends/backend_choice.h"

namespace pblur {

std::string_view backend_name(BackendKind kind) {
  switch (kind) {
    case BackendKind::processes:
      return "procs";
    case BackendKind::threads:
      return "threads";
    case BackendKind::sequential:
      return "seq";
  }
  return "?";
}

std::string_view transport_name(Transport transport) {
  return transport == Transport::shared ? "shared" : "copy";
}

std::optional<Transport> parse_transport(std::string_view name) {
  if (name == "shared") return Transport::shared;
  if (name == "copy") return Transport::copy;
  return std::nullopt;
}

}  // namespace pblur
