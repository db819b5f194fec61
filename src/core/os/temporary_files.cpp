#include "core/os/temporary_files.h"

#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace pblur {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMark = ".pblur-";
constexpr std::string_view kEnding = ".tmp";
constexpr std::size_t kMaxNameBytes = NAME_MAX;

// This machine and its process-id namespace ("host_4026531836"): two containers of one machine
// may share a host name but not their process ids.
std::string owner_of_this_process() {
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "unknown");
  std::string owner;
  for (const char* c = host; *c; ++c) {
    const bool plain = std::isalnum(static_cast<unsigned char>(*c)) || *c == '.' || *c == '_';
    owner += plain ? *c : '_';
  }
  struct stat namespace_status;
  if (stat("/proc/self/ns/pid", &namespace_status) == 0)
    owner += "_" + std::to_string(namespace_status.st_ino);
  return owner;
}

const std::string& this_owner() {
  static const std::string owner = owner_of_this_process();
  return owner;
}

struct TemporaryName {
  std::string owner;
  pid_t pid = 0;
};

// The owner and process id in a name made by NamedTemporary (`.NAME.pblur-OWNER-PID-N.tmp`);
// nullopt for any other name.
std::optional<TemporaryName> parse_name(std::string_view name) {
  const auto mark = name.rfind(kMark);
  if (!name.starts_with('.') || !name.ends_with(kEnding) || mark == std::string_view::npos)
    return std::nullopt;
  std::string_view rest = name.substr(mark + kMark.size());
  rest.remove_suffix(kEnding.size());
  const auto counter = rest.rfind('-');
  if (counter == std::string_view::npos || counter == 0) return std::nullopt;
  // Names of pblur 0.1.0 have no owner: they are removed by age only.
  const auto owner_end = rest.rfind('-', counter - 1);
  const bool has_owner = owner_end != std::string_view::npos;
  TemporaryName parsed{has_owner ? std::string(rest.substr(0, owner_end)) : "", 0};
  const char* first = rest.data() + (has_owner ? owner_end + 1 : 0);
  const auto [end, error] = std::from_chars(first, rest.data() + counter, parsed.pid);
  if (error != std::errc() || end != rest.data() + counter || parsed.pid <= 0) return std::nullopt;
  return parsed;
}

fs::path make_name(const fs::path& destination) {
  static std::atomic<unsigned> counter{0};
  const std::string tail = std::string(kMark) + this_owner() + "-" + std::to_string(getpid()) +
                           "-" + std::to_string(counter++) + std::string(kEnding);
  std::string name = destination.filename().string();
  const std::size_t room = kMaxNameBytes > tail.size() + 2 ? kMaxNameBytes - tail.size() - 2 : 0;
  if (name.size() > room) name.resize(room);
  const fs::path folder = destination.has_parent_path() ? destination.parent_path() : ".";
  return folder / ("." + name + tail);
}

// The temporary files this process holds, for a signal handler: a slot is free (0), being
// filled (1) or names a file (2).
struct InFlight {
  std::atomic<int> state{0};
  char path[PATH_MAX];
};
std::array<InFlight, 64> in_flight;

int hold_in_flight(const fs::path& path) {
  if (path.native().size() >= PATH_MAX) return -1;
  for (std::size_t i = 0; i < in_flight.size(); ++i) {
    int free = 0;
    if (!in_flight[i].state.compare_exchange_strong(free, 1)) continue;
    std::memcpy(in_flight[i].path, path.c_str(), path.native().size() + 1);
    in_flight[i].state.store(2);
    return int(i);
  }
  return -1;  // more writers than slots: an interrupted one leaves its file to the next run
}

bool abandoned(const fs::directory_entry& entry, const TemporaryName& name) {
  if (name.owner == this_owner() && kill(name.pid, 0) != 0 && errno == ESRCH) return true;
  std::error_code error;
  const auto written = fs::last_write_time(entry.path(), error);
  return !error && fs::file_time_type::clock::now() - written > kAbandonedTemporaryAge;
}

}  // namespace

NamedTemporary::NamedTemporary(const fs::path& destination)
    : path_(make_name(destination)), slot_(hold_in_flight(path_)) {}

NamedTemporary::~NamedTemporary() {
  if (!placed_) unlink(path_.c_str());
  if (slot_ >= 0) in_flight[std::size_t(slot_)].state.store(0);
}

void NamedTemporary::placed() {
  placed_ = true;
  if (slot_ >= 0) in_flight[std::size_t(slot_)].state.store(0);
  slot_ = -1;
}

void remove_abandoned_temporaries(const fs::path& folder) noexcept {
  try {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      const auto name = parse_name(entry.path().filename().native());
      if (name && entry.is_regular_file(error) && abandoned(entry, *name))
        fs::remove(entry.path(), error);
    }
  } catch (...) {
    // Nothing to report: what is left is a hidden file, never a partial output.
  }
}

void remove_temporaries_in_flight() noexcept {
  for (InFlight& slot : in_flight) {
    if (slot.state.load() == 2) unlink(slot.path);
  }
}

}  // namespace pblur
