#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/backends/backend_choice.h"
#include "core/filters/filter_spec.h"

namespace pblur::cli {

// Upper bound for --procs and --threads.
inline constexpr int kMaxWorkers = 256;

struct FilterFlags {
  std::vector<std::string> filters;  // NAME[:KEY=VALUE,...], in order; none: gaussian
  double sigma = 2.0;
  int ksize = 0;
  std::string border = "reflect101";
  // Set by add_filter_flags: whether --sigma, --ksize and --border were given.
  const CLI::Option* sigma_option = nullptr;
  const CLI::Option* ksize_option = nullptr;
  const CLI::Option* border_option = nullptr;
};

struct BackendFlags {
  int procs = 0;
  int threads = 0;
  bool sequential = false;
  int strips = 0;
  std::string transport = "shared";
  double strip_timeout = 0;
};

void add_filter_flags(CLI::App& app, FilterFlags& flags);
void add_backend_flags(CLI::App& app, BackendFlags& flags);

// Throws UsageError for combinations no single flag's check can see.
FilterChain to_filter_chain(const FilterFlags& flags);
BackendChoice to_backend_choice(const BackendFlags& flags);

}  // namespace pblur::cli
