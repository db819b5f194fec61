#include "cli/common_options.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "cli/cli_support.h"
#include "core/base/errors.h"
#include "core/filters/filter_syntax.h"
#include "core/os/machine_info.h"

namespace pblur::cli {
namespace {

// CLI::Range lets NaN through: every comparison with it is false.
CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& text) {
        double value = 0;
        if (CLI::detail::lexical_cast(text, value) && std::isfinite(value)) return std::string();
        return "Value " + text + " is not a finite number";
      },
      "FINITE");
}

// "gaussian(sigma,ksize,border), box(ksize,border), ..., pil-blur, ...": every filter, its keys.
std::string filter_list() {
  std::string text;
  for (const std::string_view name : filter_kind_names()) {
    if (!text.empty()) text += ", ";
    text += name;
    std::string keys;
    for (const std::string_view key : filter_keys(*parse_filter_kind(name)))
      keys += (keys.empty() ? "" : ",") + std::string(key);
    if (!keys.empty()) text += "(" + keys + ")";
  }
  return text;
}

std::string key_list(FilterKind kind) {
  std::string text;
  for (const std::string_view key : filter_keys(kind)) {
    if (!text.empty()) text += ", ";
    text += key;
  }
  return text.empty() ? "no keys" : text;
}

// The command line's words for what the core found wrong in a --filter value.
UsageError worded(const FilterSyntaxError& error) {
  using Problem = FilterSyntaxError::Problem;
  const std::string hint = error.closest.empty() ? "" : " (did you mean '" + error.closest + "'?)";
  switch (error.problem) {
    case Problem::unknown_filter:
      return UsageError("--filter: unknown filter '" + error.filter + "'" +
                        (hint.empty() ? " (pblur --help lists them)" : hint));
    case Problem::unknown_key: {
      const auto kind = parse_filter_kind(error.filter);
      return UsageError("--filter " + error.filter + ": unknown key '" + error.key + "'" + hint +
                        "; " + error.filter + " takes " + key_list(*kind));
    }
    case Problem::missing_key:
      return UsageError("--filter " + error.filter + " needs " + error.key + "=VALUE");
    case Problem::bad_value:
      break;
  }
  return UsageError("--filter " + error.filter + ": " + error.key + "=" + error.value +
                    " is not allowed: expected " + error.expected);
}

// --sigma, --ksize and --border: keys of the one filter given, when it takes them.
void apply_single_filter_flags(const FilterFlags& flags, std::size_t filters, FilterSpec& spec) {
  const std::pair<const CLI::Option*, std::string_view> given[] = {{flags.sigma_option, "sigma"},
                                                                   {flags.ksize_option, "ksize"},
                                                                   {flags.border_option, "border"}};
  for (const auto& [option, key] : given) {
    if (option == nullptr || option->count() == 0) continue;
    const std::string flag = "--" + std::string(key);
    if (filters > 1)
      throw UsageError(flag + " applies to a single --filter; in a chain write " +
                       std::string(key) + "=VALUE after the filter's name");
    const auto keys = filter_keys(spec.kind);
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      throw UsageError(flag + " is not used by --filter " +
                       std::string(filter_kind_name(spec.kind)) + ", which takes " +
                       key_list(spec.kind));
    if (key == "sigma") spec.sigma = flags.sigma;
    if (key == "ksize") spec.ksize = flags.ksize;
    if (key == "border") spec.border = *parse_border_mode(flags.border);
  }
}

}  // namespace

void add_filter_flags(CLI::App& app, FilterFlags& flags) {
  app.add_option("--filter", flags.filters,
                 "NAME[:KEY=VALUE,...], repeatable: a chain applied in order. Filters: " +
                     filter_list() + " (README: keys and defaults)")
      ->take_last()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  flags.sigma_option =
      app.add_option("--sigma", flags.sigma, "Gaussian standard deviation in pixels (default 2)")
          ->check(CLI::Range(0.0, kMaxSigma));
  flags.ksize_option =
      app.add_option("--ksize", flags.ksize,
                     "kernel side: box and median (default 5), gaussian (default from sigma)")
          ->check(CLI::Range(1, kMaxKernelSize));
  flags.border_option = app.add_option("--border", flags.border,
                                       "edge handling for gaussian and box (default reflect101)")
                            ->check(CLI::IsMember(kBorderModeNames.names()));
}

void add_backend_flags(CLI::App& app, BackendFlags& flags) {
  auto* procs =
      app.add_option("--procs", flags.procs,
                     "N forked worker processes (the default backend; default N: usable CPUs)")
          ->check(CLI::Range(1, kMaxWorkers));
  auto* threads =
      app.add_option("--threads", flags.threads, "N oneTBB threads instead of processes")
          ->check(CLI::Range(1, kMaxWorkers));
  auto* sequential = app.add_flag("--seq", flags.sequential, "one thread, one call: the reference");
  procs->excludes(threads)->excludes(sequential);
  threads->excludes(sequential);
  app.add_option("--strips", flags.strips, "horizontal strips (default: one per worker)")
      ->check(CLI::Range(1, 1 << 30));
  app.add_option("--transport", flags.transport,
                 "shared: pixels stay in shared memory; copy: pixels travel through the queue")
      ->check(CLI::IsMember(kTransportNames.names()))
      ->capture_default_str();
  app.add_option("--strip-timeout", flags.strip_timeout,
                 "kill a worker that spends longer than SECONDS on one strip, and redo the strip")
      ->check(finite_number())
      ->check(CLI::Range(0.001, 86400.0));
}

FilterChain to_filter_chain(const FilterFlags& flags) {
  const std::vector<std::string> texts =
      flags.filters.empty() ? std::vector<std::string>{"gaussian"} : flags.filters;
  FilterChain chain;
  try {
    for (std::size_t i = 0; i < texts.size(); ++i) {
      FilterSpec spec = parse_filter(texts[i]);
      apply_single_filter_flags(flags, texts.size(), spec);
      if (i == 0) {
        chain = FilterChain(spec);
      } else {
        chain.append(spec);
      }
    }
  } catch (const FilterSyntaxError& error) {
    throw worded(error);
  }
  validate(chain);
  return chain;
}

BackendChoice to_backend_choice(const BackendFlags& flags) {
  BackendChoice choice;
  if (flags.sequential) {
    choice.kind = BackendKind::sequential;
  } else if (flags.threads > 0) {
    choice.kind = BackendKind::threads;
    choice.workers = flags.threads;
  } else {
    choice.kind = BackendKind::processes;
    choice.workers = flags.procs > 0 ? flags.procs : usable_cpu_count();
  }
  choice.transport = *parse_transport(flags.transport);
  choice.strips = flags.strips;
  if (flags.strip_timeout > 0) {
    choice.strip_timeout = std::chrono::milliseconds(static_cast<long>(flags.strip_timeout * 1000));
  }
  return choice;
}

}  // namespace pblur::cli
