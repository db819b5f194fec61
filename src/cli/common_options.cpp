#include "cli/common_options.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "cli/cli_support.h"
#include "core/backends/file_stream.h"
#include "core/base/errors.h"
#include "core/filters/filter_syntax.h"
#include "core/image/image_io.h"
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
      app.add_option("-j,--procs,--jobs", flags.procs,
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
  flags.transport_option =
      app.add_option("--transport", flags.transport,
                     "shared: pixels stay in shared memory; copy: pixels travel through the queue")
          ->check(CLI::IsMember(kTransportNames.names()))
          ->capture_default_str();
  flags.strip_timeout_option =
      app.add_option("--strip-timeout", flags.strip_timeout,
                     "kill a worker that spends longer than SECONDS on one strip, and redo the "
                     "strip")
          ->check(finite_number())
          ->check(CLI::Range(0.001, 86400.0));
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  static constexpr std::pair<char, double> kSuffixes[] = {
      {'k', 1e3}, {'K', 1e3}, {'M', 1e6}, {'G', 1e9}, {'T', 1e12}};
  double scale = 1;
  for (const auto& [suffix, value] : kSuffixes) {
    if (!text.empty() && text.back() == suffix) {
      scale = value;
      text.remove_suffix(1);
    }
  }
  double number = 0;
  if (!CLI::detail::lexical_cast(std::string(text), number) || !std::isfinite(number))
    return std::nullopt;
  number *= scale;
  if (number < 0 || number > 1e18 || number != std::floor(number)) return std::nullopt;
  return std::uint64_t(number);
}

void add_image_flags(CLI::App& app, ImageFlags& flags) {
  app.add_option("--quality", flags.quality,
                 "JPEG and WebP quality, 1 to 100 (default: a JPEG input's own, else 95; WebP 75)")
      ->check(CLI::Range(1, 100));
  app.add_option("--max-pixels", flags.max_pixels,
                 "refuse inputs with more pixels than N (default " +
                     std::to_string(kDefaultStreamedMaxPixels) + " streamed, " +
                     std::to_string(kDefaultMaxPixels) + " whole; 1e6, 24M and 2G are understood)")
      ->transform(CLI::Validator(
          [](std::string& text) {
            const auto count = parse_count(text);
            if (!count || *count < 1 || *count > (std::uint64_t{1} << 40))
              return "expected a whole number of pixels from 1 to 1T, such as 50000000, 5e7 or "
                     "50M; got " +
                     text;
            text = std::to_string(*count);
            return std::string();
          },
          "N"));
}

std::string describe_backend(const BackendChoice& choice) {
  std::string backend(backend_name(choice.kind));
  if (choice.kind != BackendKind::sequential) backend += " " + std::to_string(choice.workers);
  if (choice.kind == BackendKind::processes)
    backend += ", " + std::string(transport_name(choice.transport));
  return backend;
}

std::string describe_settings(const FilterChain& chain, const BackendChoice& choice,
                              const ImageFlags& image) {
  const std::string strips = choice.kind == BackendKind::sequential ? "none (whole image)"
                             : choice.strips > 0                    ? std::to_string(choice.strips)
                                                                    : "one per worker";
  const std::string timeout =
      choice.strip_timeout ? std::to_string(choice.strip_timeout->count()) + " ms" : "none";
  const std::string quality =
      image.quality > 0 ? std::to_string(image.quality) : "the format's default";
  return "settings: filter " + describe_filter(chain, CV_8U) + "; " + describe_backend(choice) +
         "; strips: " + strips + "; strip timeout: " + timeout + "; quality: " + quality +
         "; at most " +
         (image.max_pixels > 0 ? std::to_string(image.max_pixels) : "the default number of") +
         " pixels";
}

void check_quality_is_used(const ImageFlags& flags, const std::string& format) {
  if (flags.quality == 0) return;
  std::string extension = format.substr(format.find_last_of('.') + 1);
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  if (extension == "jpg" || extension == "jpeg" || extension == "jpe" || extension == "webp")
    return;
  throw UsageError("--quality is not used by ." + extension +
                   " outputs: only JPEG and WebP have a quality");
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

namespace {

bool given(const CLI::Option* option) {
  return option != nullptr && option->count() > 0;
}

// --strips, --transport and --strip-timeout with a backend that has no use for them.
void check_backend_flags_are_used(const BackendFlags& flags) {
  if (flags.sequential && flags.strips > 0)
    throw UsageError("--strips is not used by --seq, which filters the whole image in one call");
  const std::string backend = flags.sequential ? "--seq" : "--threads";
  if (!flags.sequential && flags.threads == 0) return;
  if (given(flags.transport_option))
    throw UsageError("--transport is not used by " + backend +
                     ": only worker processes (--procs) send pixels between processes");
  if (given(flags.strip_timeout_option))
    throw UsageError("--strip-timeout is not used by " + backend +
                     ": only a worker process (--procs) can be killed and its work redone");
}

}  // namespace

BackendChoice to_backend_choice(const BackendFlags& flags) {
  check_backend_flags_are_used(flags);
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
