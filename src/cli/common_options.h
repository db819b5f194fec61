#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "core/backends/filter_backend.h"
#include "core/filters/filter_spec.h"

namespace pblur::cli {

// Upper bound for --procs and --threads.
inline constexpr int kMaxWorkers = 256;

struct FilterFlags {
  std::string filter = "gaussian";
  double sigma = 2.0;
  int ksize = 0;
  std::string border = "reflect101";
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
FilterSpec to_filter_spec(const FilterFlags& flags);
BackendChoice to_backend_choice(const BackendFlags& flags);

}  // namespace pblur::cli
