#include "cli/filter_command.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/cli_support.h"
#include "core/backends/file_stream.h"
#include "core/backends/filter_backend.h"
#include "core/image/image_io.h"
#include "core/ipc/process_runtime.h"
#include "core/os/atomic_output.h"
#include "core/os/temporary_files.h"

namespace pblur::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Timings {
  std::string whole_image_reason;
  std::chrono::nanoseconds load{0};
  std::chrono::nanoseconds save{0};
  FilterResult result;
};

std::string describe_image(const cv::Mat& image) {
  static const char* const kChannels[] = {"", "gray", "", "BGR", "BGRA"};
  return std::to_string(image.cols) + "x" + std::to_string(image.rows) + " " +
         kChannels[image.channels()] + (image.depth() == CV_16U ? " 16-bit" : " 8-bit");
}

std::string describe_backend(const BackendChoice& choice);

void print_phases(const Timings& timings, const BackendChoice& choice, const cv::Mat& image) {
  const PhaseTimes& t = timings.result.times;
  messages() << "pblur: " << describe_image(image) << ", " << describe_backend(choice)
             << ", whole image: " << timings.whole_image_reason << "\n";
  const auto line = [](const char* phase, std::chrono::nanoseconds d) {
    messages() << "pblur:   " << phase << format_duration(d) << "\n";
  };
  line("load           ", timings.load);
  if (choice.kind == BackendKind::processes) {
    line("start workers  ", t.start_workers);
    line("send           ", t.send);
  }
  line("filter         ", t.filter);
  if (choice.kind == BackendKind::processes) line("collect        ", t.collect);
  line("save           ", timings.save);
  line("total          ",
       timings.load + t.start_workers + t.send + t.filter + t.collect + timings.save);
  if (choice.kind == BackendKind::processes) {
    messages() << "pblur:   queue traffic  " << timings.result.queue_bytes << " bytes";
    if (timings.result.workers_replaced > 0) {
      messages() << ", " << timings.result.workers_replaced << " workers replaced";
    }
    messages() << "\n";
  }
}

std::string describe_backend(const BackendChoice& choice) {
  std::string backend(backend_name(choice.kind));
  if (choice.kind != BackendKind::sequential) backend += " " + std::to_string(choice.workers);
  if (choice.kind == BackendKind::processes)
    backend += ", " + std::string(transport_name(choice.transport));
  return backend;
}

void print_stream(const FileStreamResult& streamed, const BackendChoice& choice) {
  const RowLayout& layout = streamed.layout;
  const StreamStats& stats = streamed.stats;
  static const char* const kChannels[] = {"", "gray", "", "BGR", "BGRA"};
  messages() << "pblur: " << layout.width << "x" << layout.height << " "
             << kChannels[layout.channels] << " " << layout.bits << "-bit, "
             << describe_backend(choice) << ", streamed: " << stats.strips << " strips, "
             << stats.in_flight << " in flight, " << stats.window_bytes / 1024
             << " KiB of rows held\n";
  const auto line = [](const char* stage, std::chrono::nanoseconds d) {
    messages() << "pblur:   " << stage << format_duration(d) << "\n";
  };
  line("decode (busy)  ", stats.decode);
  line("filter (busy)  ", stats.filter);
  line("encode (busy)  ", stats.encode);
  line("total          ", stats.wall);
  if (choice.kind == BackendKind::processes) {
    messages() << "pblur:   queue traffic  " << stats.queue_bytes << " bytes";
    if (stats.workers_replaced > 0) {
      messages() << ", " << stats.workers_replaced << " workers replaced";
    }
    messages() << "\n";
  }
}

}  // namespace

void setup_filter_command(CLI::App& app, FilterCommandOptions& options) {
  app.add_option("INPUT", options.input, "image to read")->required();
  app.add_option("OUTPUT", options.output, "image to write; its extension picks the format")
      ->required();
  add_filter_flags(app, options.filter);
  add_backend_flags(app, options.backend);
  app.add_option("--quality", options.quality,
                 "JPEG and WebP quality (default: a JPEG input's own, else 95 for JPEG)")
      ->check(CLI::Range(1, 100));
  add_output_flags(app, options.output_flags);
  options.max_pixels = kDefaultMaxPixels;
  app.add_option("--max-pixels", options.max_pixels, "refuse inputs with more pixels than this")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
      ->capture_default_str();
  auto* quiet = app.add_flag("-q,--quiet", options.quiet, "print nothing but errors");
  app.add_flag("-v,--verbose", options.verbose, "print the time of each phase")->excludes(quiet);
}

void require_files_without_subcommand(CLI::App& app) {
  std::vector<CLI::Option*> files = {app.get_option("INPUT"), app.get_option("OUTPUT")};
  for (CLI::Option* file : files) file->required(false);
  app.final_callback([&app, files] {
    if (!app.get_subcommands().empty()) return;
    for (const CLI::Option* file : files) {
      if (file->count() == 0) throw CLI::RequiredError(file->get_name());
    }
  });
}

int run_filter_command(const FilterCommandOptions& options) {
  const FilterChain spec = to_filter_chain(options.filter);
  const BackendChoice choice = to_backend_choice(options.backend);
  check_output_path(options.output);
  check_replaceable(options.output, {});  // INPUT may be OUTPUT: read whole, then replaced
  remove_abandoned_temporaries(fs::path(options.output).parent_path().empty()
                                   ? fs::path(".")
                                   : fs::path(options.output).parent_path());
  auto start = Clock::now();
  std::unique_ptr<ProcessRuntime> runtime;
  if (choice.kind == BackendKind::processes) runtime = std::make_unique<ProcessRuntime>();
  FilterBackend backend(choice, runtime.get());
  const auto runtime_start_up = Clock::now() - start;

  SaveOptions save;
  if (options.quality > 0) save.quality = options.quality;
  save.keep = to_metadata_keep(options.output_flags);
  Timings timings;
  timings.whole_image_reason = "--seq is the whole-image reference";
  if (choice.kind != BackendKind::sequential) {
    const FileStreamResult streamed =
        stream_file(backend, options.input, options.output, spec,
                    FileStreamOptions{options.max_pixels, save, {}, {}});
    if (streamed.streamed) {
      if (!options.quiet) print_warnings(streamed.warnings);
      if (options.verbose) print_stream(streamed, choice);
      return kSuccess;
    }
    timings.whole_image_reason = streamed.whole_image_reason;
  }
  start = Clock::now();
  ImageOrigin origin;
  const cv::Mat image = load_image(
      options.input, LoadOptions{options.max_pixels, backend.image_allocator()}, &origin);
  if (!options.quiet) print_warnings(origin.warnings);
  timings.load = Clock::now() - start;
  validate(spec, image.depth());
  check_output_can_hold(options.output, image);

  timings.result = backend.filter(image, spec);
  timings.result.times.start_workers += runtime_start_up;

  start = Clock::now();
  save_image(timings.result.image, options.output, save, origin);
  timings.save = Clock::now() - start;
  if (options.verbose) print_phases(timings, choice, image);
  return kSuccess;
}

}  // namespace pblur::cli
