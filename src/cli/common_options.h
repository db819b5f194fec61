#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
  // Set by add_backend_flags: whether --transport and --strip-timeout were given.
  const CLI::Option* transport_option = nullptr;
  const CLI::Option* strip_timeout_option = nullptr;
};

// --quality and --max-pixels, for the commands that write and read images.
struct ImageFlags {
  int quality = 0;
  std::uint64_t max_pixels = 0;
};

void add_filter_flags(CLI::App& app, FilterFlags& flags);
void add_backend_flags(CLI::App& app, BackendFlags& flags);
void add_image_flags(CLI::App& app, ImageFlags& flags);

// "50000000", "5e7", "50M" or "0.05G" as a whole number; nullopt if it is none.
std::optional<std::uint64_t> parse_count(std::string_view text);

// "processes 4, shared" / "threads 2" / "sequential".
std::string describe_backend(const BackendChoice& choice);

// The settings a run uses, for -v: "settings: filter gaussian(...); processes 4, shared; strips:
// one per worker; quality: the format's default; at most 268435456 pixels".
std::string describe_settings(const FilterChain& chain, const BackendChoice& choice,
                              const ImageFlags& image);

// Throws UsageError if --quality is given for an output format that has no quality; `format` is
// an extension ("png", ".png") or a file name.
void check_quality_is_used(const ImageFlags& flags, const std::string& format);

// Throws UsageError for combinations no single flag's check can see.
FilterChain to_filter_chain(const FilterFlags& flags);
BackendChoice to_backend_choice(const BackendFlags& flags);

}  // namespace pblur::cli
