#pragma once

#include <array>
#include <string>

namespace pblur {

// What a benchmark needs to say about the machine it ran on.
struct MachineInfo {
  std::string cpu_model;  // /proc/cpuinfo's "model name", or "unknown"
  int cores_online = 0;
  int usable_cpus = 0;  // those this process may run on
  std::string host_name;
  std::array<double, 3> load_average{};
  std::string date;  // local time, ISO 8601
};

MachineInfo describe_machine();

// Usable CPUs: those this process may run on.
int usable_cpu_count();

// Threads of this process now (the entries of /proc/self/task); 0 where /proc cannot tell.
int thread_count();

}  // namespace pblur
