#include "cli/filter_command.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/cli_support.h"
#include "cli/image_progress.h"
#include "cli/standard_streams.h"
#include "core/backends/file_stream.h"
#include "core/backends/filter_backend.h"
#include "core/base/errors.h"
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

// The channels as users name them: OpenCV's BGR rows are RGB images.
constexpr const char* kChannels[] = {"", "gray", "", "RGB", "RGBA"};

std::string describe_image(const cv::Mat& image) {
  return std::to_string(image.cols) + "x" + std::to_string(image.rows) + " " +
         kChannels[image.channels()] + (image.depth() == CV_16U ? " 16-bit" : " 8-bit");
}

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

void print_stream(const FileStreamResult& streamed, const BackendChoice& choice) {
  const RowLayout& layout = streamed.layout;
  const StreamStats& stats = streamed.stats;
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

// --max-pixels, or the default of the path that runs.
std::uint64_t pixel_limit(const FilterCommandOptions& options, std::uint64_t path_default) {
  return options.image.max_pixels > 0 ? options.image.max_pixels : path_default;
}

void print_pixel_limit(const FilterCommandOptions& options, std::uint64_t path_default,
                       const char* path) {
  messages() << "pblur:   max pixels     " << pixel_limit(options, path_default)
             << (options.image.max_pixels > 0 ? " (--max-pixels)"
                                              : std::string(" (the ") + path + " default)")
             << "\n";
}

// Input problems come before output problems: a folder, a missing file.
void check_input(const std::string& input) {
  std::error_code error;
  const fs::file_status status = fs::status(input, error);
  if (fs::is_directory(status)) {
    throw InputError("cannot read '" + input + "': it is a folder (pblur batch " + input +
                     " OUTPUT_DIR filters every image in it)");
  }
  if (status.type() == fs::file_type::not_found)
    throw InputError("cannot read '" + input + "': no such file");
}

// vips's "out.jpg[Q=90]" is not pblur's syntax: refused rather than written under that name.
void check_output_name(const std::string& output) {
  const std::size_t open = output.rfind('[');
  if (open == std::string::npos || output.empty() || output.back() != ']') return;
  throw UsageError("cannot write '" + output + "': pblur reads no [OPTIONS] after a file name (" +
                   output.substr(open) + "); use --quality and the other options instead");
}

}  // namespace

void setup_filter_command(CLI::App& app, FilterCommandOptions& options) {
  app.add_option("INPUT", options.inputs,
                 "images to read, then OUTPUT: the image to write, its extension picking the "
                 "format; or, for one input or several, a folder (an existing one, or a name "
                 "ending in /) that each is filtered into as pblur batch does")
      ->required();
  app.add_option("-o,--output", options.output, "OUTPUT, given before the inputs");
  options.naming_options = add_output_naming_flags(app, options.naming);
  add_filter_flags(app, options.filter);
  add_backend_flags(app, options.backend);
  add_image_flags(app, options.image);
  add_pixel_flags(app, options.pixels);
  add_output_flags(app, options.output_flags);
  auto* quiet = app.add_flag("-q,--quiet", options.quiet, "print nothing but errors");
  app.add_flag("-v,--verbose", options.verbose,
               "print the settings used and the time of each phase")
      ->excludes(quiet);
}

void require_files_without_subcommand(CLI::App& app) {
  CLI::Option* input = app.get_option("INPUT");
  const CLI::Option* output = app.get_option("--output");
  input->required(false);
  app.final_callback([&app, input, output] {
    if (!app.get_subcommands().empty()) return;
    if (input->count() == 0) throw CLI::RequiredError("INPUT");
    if (output->count() == 0 && input->count() < 2) throw CLI::RequiredError("OUTPUT");
  });
}

namespace {

SaveOptions save_options(const FilterCommandOptions& options) {
  SaveOptions save;
  if (options.image.quality > 0) save.quality = options.image.quality;
  save.convert = to_pixel_conversion(options.pixels);
  save.keep = to_metadata_keep(options.output_flags);
  save.lossless = options.output_flags.lossless;
  return save;
}

// OUTPUT "-" or "FMT:-": the whole image filtered, encoded in memory and written to stdout, in
// the format named, else the input's.
int filter_to_standard_output(const FilterCommandOptions& options, const FilterChain& spec,
                              const BackendChoice& choice, const std::string& input,
                              const std::string& format) {
  std::unique_ptr<ProcessRuntime> runtime;
  if (choice.kind == BackendKind::processes) runtime = std::make_unique<ProcessRuntime>();
  FilterBackend backend(choice, runtime.get());
  ImageOrigin origin;
  const cv::Mat image = load_image(
      input, LoadOptions{pixel_limit(options, kDefaultMaxPixels), backend.image_allocator()},
      &origin);
  if (!options.quiet) print_warnings(origin.warnings);
  const std::string extension = format.empty() ? extension_of_contents(input) : "." + format;
  if (extension.empty() || !writes_format(extension)) {
    throw OutputError("cannot write standard output: " +
                      (extension.empty() ? std::string("name its format, as in png:-")
                                         : "unknown output format '" + extension + "'"));
  }
  check_quality_is_used(options.image, extension);
  check_lossless_is_used(options.output_flags, options.image.quality, extension);
  validate(spec, image.depth());
  const fs::path encoded_as = "standard-output" + extension;
  const SaveOptions save = save_options(options);
  check_output_can_hold(encoded_as, image, save.convert);
  const FilterResult result = backend.filter(image, spec);
  write_standard_output(encode_image(result.image, encoded_as, save, origin));
  return kSuccess;
}

int filter_to_file(const FilterCommandOptions& options, const FilterChain& spec,
                   const BackendChoice& choice, const std::string& input) {
  check_quality_is_used(options.image, options.output);
  check_lossless_is_used(options.output_flags, options.image.quality, options.output);
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

  const SaveOptions save = save_options(options);
  Timings timings;
  timings.whole_image_reason = "--seq is the whole-image reference";
  if (choice.kind != BackendKind::sequential) {
    ImageProgress progress(options.quiet);
    FileStreamOptions stream_options{pixel_limit(options, kDefaultStreamedMaxPixels), save, {}, {}};
    stream_options.stream.on_rows = progress.callback();
    const FileStreamResult streamed =
        stream_file(backend, input, options.output, spec, stream_options);
    progress.close();
    if (streamed.streamed) {
      if (!options.quiet) print_warnings(streamed.warnings);
      if (options.verbose) print_stream(streamed, choice);
      if (options.verbose) print_pixel_limit(options, kDefaultStreamedMaxPixels, "streamed");
      return kSuccess;
    }
    timings.whole_image_reason = streamed.whole_image_reason;
  }
  start = Clock::now();
  ImageOrigin origin;
  const cv::Mat image = load_image(
      input, LoadOptions{pixel_limit(options, kDefaultMaxPixels), backend.image_allocator()},
      &origin);
  if (!options.quiet) print_warnings(origin.warnings);
  timings.load = Clock::now() - start;
  validate(spec, image.depth());
  check_output_can_hold(options.output, image, save.convert);

  timings.result = backend.filter(image, spec);
  timings.result.times.start_workers += runtime_start_up;

  start = Clock::now();
  save_image(timings.result.image, options.output, save, origin);
  timings.save = Clock::now() - start;
  if (options.verbose) print_phases(timings, choice, image);
  if (options.verbose) print_pixel_limit(options, kDefaultMaxPixels, "whole-image");
  return kSuccess;
}

// `given` with its OUTPUT: -o, or the last of the files named.
FilterCommandOptions with_output(const FilterCommandOptions& given) {
  FilterCommandOptions options = given;
  if (options.output.empty()) {
    options.output = options.inputs.back();
    options.inputs.pop_back();
  }
  return options;
}

// An existing folder, or a name ending in '/': the inputs are filtered into it.
bool names_a_folder(const std::string& output) {
  std::error_code error;
  return output.ends_with('/') || fs::is_directory(output, error);
}

// One input into one OUTPUT file: the options that name a folder's outputs are refused.
void check_one_output_file(const FilterCommandOptions& options) {
  if (options.inputs.size() > 1) {
    throw UsageError("cannot write " + std::to_string(options.inputs.size()) + " inputs to '" +
                     options.output +
                     "': it is not a folder (end its name with / to have it created)");
  }
  for (const CLI::Option* option : options.naming_options) {
    if (option->count() == 0) continue;
    throw UsageError(option->get_name() +
                     " is used only when writing into a folder (an OUTPUT that is one, or ends "
                     "in /); a single OUTPUT is named as given, in the format of its extension");
  }
}

// `pblur INPUT... OUTPUT_DIR/`: run as `pblur batch INPUT... OUTPUT_DIR/`.
int filter_into_folder(const FilterCommandOptions& options) {
  for (const std::string& input : options.inputs) {
    if (standard_stream_format(input)) {
      throw UsageError(
          "standard input cannot be filtered into a folder: name the output file "
          "(pblur - OUTPUT)");
    }
  }
  BatchCommandOptions batch;
  batch.inputs = options.inputs;
  batch.output_dir = options.output;
  batch.filter = options.filter;
  batch.backend = options.backend;
  batch.pixels = options.pixels;
  batch.naming = options.naming;
  batch.image = options.image;
  batch.output_flags = options.output_flags;
  batch.quiet = options.quiet;
  batch.verbose = options.verbose;
  return run_batch_command(batch);
}

// A message about the memory file that holds standard input, saying "standard input".
std::string named_standard_input(std::string message, const std::string& path) {
  const std::string quoted = "'" + path + "'";
  for (std::size_t at = message.find(quoted); at != std::string::npos; at = message.find(quoted))
    message.replace(at, quoted.size(), "standard input");
  return message;
}

}  // namespace

int run_filter_command(const FilterCommandOptions& given) {
  const FilterCommandOptions options = with_output(given);
  if (names_a_folder(options.output)) return filter_into_folder(options);
  check_one_output_file(options);
  const FilterChain spec = with_pixel_mode(to_filter_chain(options.filter), options.pixels);
  const BackendChoice choice = to_backend_choice(options.backend);
  check_output_name(options.output);
  const std::optional<std::string> output_format = standard_stream_format(options.output);
  if (output_format && !output_format->empty()) {
    check_quality_is_used(options.image, *output_format);
    check_lossless_is_used(options.output_flags, options.image.quality, *output_format);
  }
  std::optional<StandardInputFile> standard_input;
  const std::string& given_input = options.inputs.front();
  if (standard_stream_format(given_input)) {
    standard_input.emplace();
  } else {
    check_input(given_input);
  }
  const std::string input = standard_input ? standard_input->path() : given_input;
  if (options.verbose)
    messages() << "pblur: " << describe_settings(spec, choice, options.image) << "\n";
  try {
    if (output_format)
      return filter_to_standard_output(options, spec, choice, input, *output_format);
    return filter_to_file(options, spec, choice, input);
  } catch (const InputError& error) {
    if (!standard_input) throw;
    throw InputError(named_standard_input(error.what(), standard_input->path()));
  }
}

}  // namespace pblur::cli
