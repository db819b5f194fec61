#include "cli/common_options.h"

#include <cmath>
#include <string>

#include "cli/cli_support.h"
#include "core/base/errors.h"
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

}  // namespace

void add_filter_flags(CLI::App& app, FilterFlags& flags) {
  app.add_option("--filter", flags.filter, "gaussian, box, median or pil-blur (Pillow's BLUR)")
      ->check(CLI::IsMember({"gaussian", "box", "median", "pil-blur"}))
      ->capture_default_str();
  app.add_option("--sigma", flags.sigma, "Gaussian standard deviation in pixels")
      ->check(CLI::Range(0.0, kMaxSigma))
      ->capture_default_str();
  app.add_option("--ksize", flags.ksize,
                 "kernel side: box and median (default 5), gaussian (default from sigma)")
      ->check(CLI::Range(1, kMaxKernelSize));
  app.add_option("--border", flags.border, "edge handling for gaussian and box")
      ->check(CLI::IsMember({"reflect101", "replicate", "reflect", "constant"}))
      ->capture_default_str();
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
      ->check(CLI::IsMember({"shared", "copy"}))
      ->capture_default_str();
  app.add_option("--strip-timeout", flags.strip_timeout,
                 "kill a worker that spends longer than SECONDS on one strip, and redo the strip")
      ->check(finite_number())
      ->check(CLI::Range(0.001, 86400.0));
}

FilterSpec to_filter_spec(const FilterFlags& flags) {
  FilterSpec spec;
  spec.kind = *parse_filter_kind(flags.filter);
  spec.sigma = flags.sigma;
  spec.ksize = flags.ksize;
  spec.border = *parse_border_mode(flags.border);
  validate(spec);
  return spec;
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
