#include "cli/batch_command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <iostream>
#include <memory>
#include <numeric>

#include "cli/batch_report.h"
#include "cli/cli_support.h"
#include "cli/interrupt_stop.h"
#include "cli/progress.h"
#include "core/base/errors.h"
#include "core/batch/batch_plan.h"
#include "core/batch/batch_runner.h"
#include "core/batch/output_record.h"
#include "core/image/image_io.h"
#include "core/ipc/process_runtime.h"
#include "core/os/atomic_output.h"

namespace pblur::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kFooter =
    "Examples:\n"
    "  pblur batch photos/ small/ --sigma 3 -j 4\n"
    "  pblur batch a.jpg b.png more/ small/\n"
    "  pblur batch photos/ small/ --format webp --quality 80 --dry-run\n"
    "  pblur batch -r photos/ small/ --fail-fast --report report.json\n"
    "\n"
    "Exit codes: 0 every image done (or skipped), 5 some images failed (each is listed with its "
    "reason), 2 bad options (including two inputs with one output name), 3 an input unreadable, "
    "4 OUTPUT_DIR or the report unwritable, 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP "
    "(finished outputs are kept; run the same command again to finish). A second Ctrl-C ends "
    "pblur at once.";

// The failures after which --halt stops the batch: 0 for never.
std::optional<std::size_t> halt_after_failures(const std::string& halt) {
  if (halt == "never") return 0;
  constexpr std::string_view kPrefix = "now,fail=";
  if (!halt.starts_with(kPrefix)) return std::nullopt;
  std::size_t count = 0;
  const std::string digits = halt.substr(kPrefix.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      digits.size() > 9)
    return std::nullopt;
  count = std::stoul(digits);
  return count >= 1 ? std::optional(count) : std::nullopt;
}

void add_selection_flags(CLI::App& batch, BatchCommandOptions& options) {
  batch.add_flag("-r,--recursive", options.recursive,
                 "also filter the images in subfolders, mirroring the tree in OUTPUT_DIR");
  add_output_naming_flags(batch, options.naming);
  batch
      .add_option("--shard", options.shard,
                  "K/N: filter only share K of N (K from 0 to N-1), chosen by a hash of each "
                  "file's path below INPUT_DIR, so that N machines can split one folder")
      ->check([](const std::string& text) {
        return parse_shard(text) ? std::string() : "expected K/N with 0 <= K < N, e.g. 0/4";
      });
}

void add_run_flags(CLI::App& batch, BatchCommandOptions& options) {
  batch
      .add_option("--split", options.split,
                  "images: each worker loads, filters and saves whole images; strips: one image "
                  "at a time, split in strips across the workers (--strips N asks for it); auto: "
                  "images when there are at least as many images as workers and one image per "
                  "worker fits in half the memory")
      ->check(CLI::IsMember(kSplitModeNames.names()))
      ->capture_default_str();
  if (auto* timeout = batch.get_option_no_throw("--strip-timeout")) {
    timeout->description(
        "kill a worker that spends longer than SECONDS on one image (or one strip with --split "
        "strips) and retry it; an image that fails 3 times is reported failed");
  }
  add_image_flags(batch, options.image);
  add_output_flags(batch, options.output_flags);
  batch.add_flag("-n,--dry-run", options.dry_run,
                 "list what would be filtered and skipped, and why; write nothing");
  auto* fail_fast = batch.add_flag("--fail-fast", options.fail_fast,
                                   "stop at the first image that fails (--halt now,fail=1)");
  batch
      .add_option("--halt", options.halt,
                  "GNU parallel's: now,fail=N stops once N images have failed; never (the "
                  "default) filters every image whatever fails")
      ->check([](const std::string& text) {
        return halt_after_failures(text) ? std::string()
                                         : "expected never or now,fail=N with N >= 1";
      })
      ->excludes(fail_fast);
  auto* quiet = batch.add_flag("-q,--quiet", options.quiet, "print nothing but errors");
  batch
      .add_flag("-v,--verbose", options.verbose,
                "say how the work is split, and the mean time of each phase")
      ->excludes(quiet);
}

void check_report_path(const std::string& report) {
  if (report.empty() || report_goes_to_stdout(report)) return;
  const fs::path path(report);
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw OutputError("cannot write the report '" + report + "': the folder '" + folder.string() +
                      "' does not exist");
  }
  if (const auto problem = replacement_problem(path, {}))
    throw OutputError("cannot write the report '" + report + "': " + *problem);
}

SaveOptions save_options(const BatchCommandOptions& options) {
  SaveOptions save;
  if (options.image.quality > 0) save.quality = options.image.quality;
  save.convert = to_pixel_conversion(options.pixels);
  save.keep = to_metadata_keep(options.output_flags);
  save.lossless = options.output_flags.lossless;
  return save;
}

BatchPlanOptions plan_options(const BatchCommandOptions& options, const FilterChain& spec,
                              std::stop_token stop) {
  BatchPlanOptions plan;
  plan.inputs.assign(options.inputs.begin(), options.inputs.end());
  plan.output_dir = options.output_dir;
  plan.recursive = options.recursive;
  plan.format = options.naming.format;
  plan.suffix = options.naming.suffix;
  plan.overwrite = options.naming.overwrite;
  if (!options.shard.empty()) plan.shard = *parse_shard(options.shard);
  plan.stop = std::move(stop);
  plan.options_digest = output_options_digest(spec, save_options(options));
  if (!report_goes_to_stdout(options.naming.report)) plan.report = options.naming.report;
  return plan;
}

BatchRunOptions run_options(const BatchCommandOptions& options, const FilterChain& spec,
                            const BackendChoice& choice, SplitMode split, std::stop_token stop) {
  BatchRunOptions run;
  run.spec = spec;
  run.load.max_pixels = options.image.max_pixels > 0 ? options.image.max_pixels : kDefaultMaxPixels;
  run.save = save_options(options);
  run.backend = choice;
  run.split = split;
  run.stop = std::move(stop);
  return run;
}

// The inputs for a message: 'a', 'b' and 'c' (quoted by the caller at both ends).
std::string listed(const std::vector<std::string>& inputs) {
  std::string text;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    text += (i == 0 ? "" : i + 1 == inputs.size() ? "' and '" : "', '") + inputs[i];
  return text;
}

std::string plural(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// --strips N without --split asks for strips.
SplitMode requested_split(const BatchCommandOptions& options) {
  const SplitMode requested = *parse_split_mode(options.split);
  return requested == SplitMode::automatic && options.backend.strips > 0 ? SplitMode::strips
                                                                         : requested;
}

int worker_count(const BackendChoice& choice) {
  return choice.kind == BackendKind::sequential ? 1 : choice.workers;
}

std::string describe_workers(const BackendChoice& choice) {
  const int n = worker_count(choice);
  switch (choice.kind) {
    case BackendKind::processes:
      return std::to_string(n) + " worker process" + (n == 1 ? "" : "es");
    case BackendKind::threads:
      return std::to_string(n) + " thread" + (n == 1 ? "" : "s");
    case BackendKind::sequential:
      return "this process alone (--seq)";
  }
  return "";
}

void print_plan(const BatchCommandOptions& options, const BatchPlan& plan,
                const BackendChoice& choice, const SplitDecision& split) {
  messages() << "pblur: " << plural(plan.found, "image") << " found in '"
             << printable(listed(options.inputs)) << "'"
             << (options.recursive ? " and its subfolders" : "");
  if (!options.shard.empty()) {
    messages() << "; shard " << options.shard << ": " << plan.work.size() + plan.skipped.size()
               << " of them";
  }
  messages() << "\npblur: " << plan.work.size() << " to filter, " << plan.skipped.size()
             << " skipped (outputs made from their inputs as they are, with these options), "
             << plan.failed.size() << " failed before any work\n";
  if (split.mode == SplitMode::images) {
    messages() << "pblur: split: images: " << describe_workers(choice)
               << ", each loading, filtering and saving whole images of its own";
  } else {
    messages() << "pblur: split: strips: one image at a time, cut in strips across "
               << describe_workers(choice)
               << ", the next image loading and the last one saving meanwhile";
  }
  messages() << " (" << split.reason << ")\n";
}

void print_nothing_to_do(const BatchCommandOptions& options, const BatchPlan& plan) {
  if (plan.found == 0) {
    messages() << "pblur: no images found in '" << printable(listed(options.inputs)) << "'"
               << (options.recursive ? "" : " (subfolders are searched with --recursive)") << "\n";
  } else if (!plan.skipped.empty()) {
    messages() << "pblur: every output was made from its input as it is now, with these "
                  "options, so nothing was redone (--overwrite redoes them)\n";
  }
}

std::string describe_done(const BatchItem& item, const FileResult& result) {
  const auto total = result.times.load + result.times.filter + result.times.save;
  return format_bytes(item.input_bytes) + " -> " + format_bytes(result.output_bytes) + " in " +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(total).count()) +
         " ms";
}

std::uint64_t total_input_bytes(const BatchPlan& plan) {
  return std::accumulate(
      plan.work.begin(), plan.work.end(), std::uint64_t{0},
      [](std::uint64_t sum, const BatchItem& item) { return sum + item.input_bytes; });
}

// The paths that failed before any work: each is an error line now, and in the summary.
void print_plan_failures(const BatchPlan& plan) {
  for (const PlanFailure& failure : plan.failed) {
    print_error(failure.reason);
  }
}

// --fail-fast is --halt now,fail=1.
std::size_t failures_to_halt(const BatchCommandOptions& options) {
  return options.fail_fast ? 1 : *halt_after_failures(options.halt);
}

void run_with_progress(const BatchCommandOptions& options, const BatchRunOptions& run,
                       ProcessRuntime* runtime, InterruptStop& stop, BatchTally& tally) {
  const BatchPlan& plan = *tally.plan;
  const std::size_t halt_after = failures_to_halt(options);
  Progress progress(progress_style(options.quiet), plan.work.size(), total_input_bytes(plan));
  try {
    run_batch(plan.work, run, runtime, [&](const FileResult& result) {
      tally.results.push_back(result);
      const BatchItem& item = plan.work[result.item];
      const bool failed = result.status == FileStatus::failed;
      progress.file_done(item.relative, item.input_bytes, failed ? "" : describe_done(item, result),
                         failed ? with_option_names(result.reason) : "");
      if (halt_after > 0 && tally.count(FileStatus::failed) >= halt_after) {
        tally.halt_failures = halt_after;
        stop.request_stop();
      }
    });
  } catch (const Interrupted&) {
    tally.signal = interrupt_signal();
  }
  progress.close();
}

std::string_view why_filtered(OutputState state) {
  switch (state) {
    case OutputState::missing:
      return "no output yet";
    case OutputState::up_to_date:
      return "--overwrite";
    case OutputState::other_options:
      return "the output was made with other options";
    case OutputState::input_changed:
      return "the input changed since the output was made";
    case OutputState::older_unrecorded:
      return "the output is older than the input";
  }
  return "";
}

// --dry-run: every image of the plan, what would become of it and why; stdout, one per line.
int print_dry_run(const BatchPlan& plan) {
  for (const BatchItem& item : plan.work) {
    std::cout << "filter " << printable(item.input.string()) << " -> "
              << printable(item.output.string()) << " (" << why_filtered(item.output_state)
              << ")\n";
  }
  for (const BatchItem& item : plan.skipped) {
    std::cout << "skip " << printable(item.input.string())
              << " (its output was made from it as it is, with these options)\n";
  }
  print_plan_failures(plan);
  return plan.failed.empty() ? kSuccess : kSomeFailed;
}

// The plan's problem with an option, worded with the option's name.
std::string worded(const PlanOptionError& error) {
  using Problem = PlanOptionError::Problem;
  switch (error.problem) {
    case Problem::unknown_format:
      return "--format " + error.value + ": not a format pblur can write (try jpg, png, tif, webp)";
    case Problem::suffix_with_slash:
      return "--suffix " + error.value +
             ": must not contain '/': every output stays in OUTPUT_DIR's mirror of its input's "
             "folder";
    case Problem::suffix_too_long:
      return "--suffix is " + std::to_string(error.value.size()) +
             " bytes long: a file name has at most " + std::to_string(NAME_MAX);
    case Problem::output_scanned:
      return "OUTPUT_DIR '" + error.value + "' is inside INPUT_DIR '" + error.other +
             "' and --recursive would read the outputs as inputs; write them to a folder "
             "outside INPUT_DIR, or leave out --recursive";
    case Problem::shared_output_names:
      return error.other + " output name" + (error.other == "1" ? " is" : "s are") +
             " shared by several inputs: " + error.value + " (use --suffix, or leave out --format)";
  }
  return error.what();
}

BatchPlan plan_worded(const BatchPlanOptions& options) {
  try {
    return plan_batch(options);
  } catch (const PlanOptionError& error) {
    throw UsageError(worded(error));
  }
}

// `given` with its OUTPUT_DIR: -o, or the last of the words after the command.
BatchCommandOptions with_output_dir(const BatchCommandOptions& given) {
  BatchCommandOptions options = given;
  if (!options.output_dir.empty()) return options;
  if (options.inputs.size() < 2) {
    throw UsageError(
        "OUTPUT_DIR is required: the folder to write into, after the inputs (pblur "
        "batch INPUT... OUTPUT_DIR)");
  }
  options.output_dir = options.inputs.back();
  options.inputs.pop_back();
  return options;
}

}  // namespace

std::vector<CLI::Option*> add_output_naming_flags(CLI::App& app, OutputNaming& naming) {
  return {
      app.add_option("--format", naming.format,
                     "write every output in this format (jpg, png, tif, webp, ...); default: "
                     "each output in its input's format"),
      app.add_option("--suffix", naming.suffix,
                     "append TEXT to each output's name: a.jpg -> aTEXT.jpg"),
      app.add_flag("--overwrite", naming.overwrite,
                   "redo images whose output was made from their input as it is, with these "
                   "options (skipped by default, so that a rerun resumes where the last one "
                   "stopped)"),
      app.add_option("--report", naming.report,
                     "write every file's result (status, reason, bytes, time per phase) to this "
                     "JSON file; - or /dev/stdout: to standard output")};
}

CLI::App* setup_batch_command(CLI::App& app, BatchCommandOptions& options) {
  CLI::App* batch = app.add_subcommand(
      "batch",
      "Filter every image of folders and files into OUTPUT_DIR with one pool of workers, with "
      "progress; a rerun skips what is done");
  batch->footer(kFooter);
  batch
      ->add_option("INPUT", options.inputs,
                   "folders of images (any extension OpenCV reads, in any letter case) and image "
                   "files, then OUTPUT_DIR: the folder for the outputs, created if needed; not "
                   "an input folder, and not inside one with --recursive")
      ->required();
  batch->add_option("-o,--output", options.output_dir, "OUTPUT_DIR, given before the inputs");
  add_filter_flags(*batch, options.filter);
  add_backend_flags(*batch, options.backend);
  add_pixel_flags(*batch, options.pixels);
  add_selection_flags(*batch, options);
  add_run_flags(*batch, options);
  return batch;
}

int run_batch_command(const BatchCommandOptions& given) {
  const auto start = Clock::now();
  const BatchCommandOptions options = with_output_dir(given);
  const BackendChoice choice = to_backend_choice(options.backend);
  const FilterChain spec = with_pixel_mode(to_filter_chain(options.filter), options.pixels);
  if (!options.naming.format.empty()) check_quality_is_used(options.image, options.naming.format);
  check_lossless_is_used(options.output_flags, options.image.quality, options.naming.format);
  if (options.verbose)
    messages() << "pblur: " << describe_settings(spec, choice, options.image) << "\n";
  check_report_path(options.naming.report);
  // Nobody reading stderr (`2>&1 | head`) is no reason to stop: the batch goes on unheard.
  signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<ProcessRuntime> runtime;
  if (choice.kind == BackendKind::processes) runtime = std::make_unique<ProcessRuntime>();
  InterruptStop interrupt;  // after the runtime: its watcher is a thread

  BatchPlan plan;
  try {
    plan = plan_worded(plan_options(options, spec, interrupt.token()));
  } catch (const Interrupted&) {
    print_error("interrupted by " + signal_name(interrupt_signal()) +
                " while looking for images; nothing was written");
    return interrupted_exit_code();
  }
  if (options.dry_run) return print_dry_run(plan);
  create_output_folders(options.output_dir, plan);
  const SplitDecision decision =
      choose_split(requested_split(options), plan.work, worker_count(choice));
  const SplitMode split = decision.mode;
  if (options.verbose) print_plan(options, plan, choice, decision);
  print_plan_failures(plan);

  BatchTally tally{options.inputs, options.output_dir, &plan, {}, split, choice, {}, 0};
  if (!plan.work.empty()) {
    run_with_progress(options, run_options(options, spec, choice, split, interrupt.token()),
                      runtime.get(), interrupt, tally);
  }
  tally.elapsed = Clock::now() - start;
  if (!options.quiet && plan.work.empty() && plan.failed.empty())
    print_nothing_to_do(options, plan);
  print_summary(tally, options.quiet, options.verbose);
  if (!options.naming.report.empty()) write_json_report(options.naming.report, tally);
  record_in_manifest(plan, tally.results);
  if (tally.signal != 0) return interrupted_exit_code();
  return tally.count(FileStatus::failed) > 0 ? kSomeFailed : kSuccess;
}

}  // namespace pblur::cli
