#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/base/enum_names.h"

namespace pblur {

enum class BackendKind { processes, threads, sequential };

// How strips reach worker processes: `shared`, the image and the output live in shared memory
// and only strip descriptors cross the queue; `copy`, each strip's pixels travel through the
// task queue and the filtered strip comes back through the result queue.
enum class Transport { shared, copy };
inline constexpr auto kTransportNames =
    enum_names<Transport>({{Transport::shared, "shared"}, {Transport::copy, "copy"}});

std::string_view backend_name(BackendKind kind);
std::string_view transport_name(Transport transport);
std::optional<Transport> parse_transport(std::string_view name);

// Which backend filters, with how many workers and strips: the one description of that choice,
// made by the command line and passed whole to the backends, pblur batch and pblur bench.
struct BackendChoice {
  BackendKind kind = BackendKind::processes;
  int workers = 1;                          // processes or threads; 1 for sequential
  Transport transport = Transport::shared;  // processes
  int strips = 0;                           // 0: one per worker
  // Processes: a worker that holds one task (a strip, or a whole image) longer is replaced.
  std::optional<std::chrono::milliseconds> strip_timeout;
};

}  // namespace pblur
