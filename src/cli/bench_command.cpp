#include "cli/bench_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/bench_plot.h"
#include "cli/bench_reporter.h"
#include "cli/cli_support.h"
#include "cli/interrupt_stop.h"
#include "core/base/errors.h"
#include "core/batch/batch_plan.h"
#include "core/bench/bench_context.h"
#include "core/bench/bench_stats.h"
#include "core/bench/folder_bench.h"
#include "core/bench/image_bench.h"
#include "core/image/image_io.h"
#include "core/ipc/process_runtime.h"
#include "core/os/atomic_output.h"
#include "core/os/machine_info.h"

namespace pblur::cli {
namespace {

namespace fs = std::filesystem;

std::string lowercase_extension(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

std::string check_plot_extension(const std::string& path) {
  const std::string extension = lowercase_extension(path);
  if (extension == ".png" || extension == ".svg") return "";
  return "the chart is written as PNG or SVG: give a file name ending in .png or .svg";
}

// Throws OutputError unless a report can be written at `path`.
void check_report_path(const std::string& path, const char* flag) {
  if (path.empty()) return;
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw OutputError(std::string(flag) + ": cannot write '" + path + "': folder '" +
                      folder.string() + "' does not exist");
  }
  if (fs::is_directory(target, error)) {
    throw OutputError(std::string(flag) + ": cannot write '" + path + "': it is a folder");
  }
}

void write_report(const BenchReporter& reporter, const BenchReport& report,
                  const BenchRunInfo& info, const fs::path& path) {
  std::ostringstream text;
  reporter.report(report, info, text);
  const std::string bytes = text.str();
  write_file_atomically(path, std::as_bytes(std::span(bytes.data(), bytes.size())));
}

std::string executable_path() {
  std::error_code error;
  const fs::path path = fs::read_symlink("/proc/self/exe", error);
  return error ? "pblur" : path.string();
}

// A JSON file for the plot when --json was not given, removed when this goes.
class TemporaryJson {
 public:
  TemporaryJson() {
    std::string name = (fs::temp_directory_path() / "pblur-bench-XXXXXX.json").string();
    const int fd = mkstemps(name.data(), 5);
    if (fd < 0)
      throw OutputError("cannot create a temporary file: " + std::string(std::strerror(errno)));
    close(fd);
    path_ = name;
  }
  ~TemporaryJson() { unlink(path_.c_str()); }
  TemporaryJson(const TemporaryJson&) = delete;
  TemporaryJson& operator=(const TemporaryJson&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// "run 12 of 132: threads with 2 workers" on one line of a terminal, rewritten in place.
class ProgressLine {
 public:
  explicit ProgressLine(bool shown) : shown_(shown) {}
  ~ProgressLine() { clear(); }

  void update(const BenchProgress& progress) {
    if (!shown_) return;
    messages() << "\r\033[Kpblur bench: run " << progress.done << " of " << progress.total << ": "
               << describe_bench_config(progress.config) << std::flush;
    drawn_ = true;
  }

  void clear() {
    if (drawn_) messages() << "\r\033[K" << std::flush;
    drawn_ = false;
  }

 private:
  bool shown_;
  bool drawn_ = false;
};

// "pblur: wrote FILE" on stderr for each file written, unless -q.
class WrittenFiles {
 public:
  explicit WrittenFiles(bool quiet) : quiet_(quiet) {}
  void wrote(const std::string& path) const {
    if (!quiet_) messages() << "pblur: wrote " << printable(path) << std::endl;
  }

 private:
  bool quiet_;
};

void write_outputs(const BenchCommandOptions& options, const BenchReport& report,
                   const BenchRunInfo& info) {
  const WrittenFiles files(options.quiet);
  if (!options.json.empty()) {
    write_report(*make_json_reporter(), report, info, options.json);
    files.wrote(options.json);
  }
  if (!options.csv.empty()) {
    write_report(*make_csv_reporter(), report, info, options.csv);
    files.wrote(options.csv);
  }
  if (options.plot.empty()) return;
  if (!options.json.empty()) {
    plot_bench(options.json, options.plot);
  } else {
    const TemporaryJson json;
    write_report(*make_json_reporter(), report, info, json.path());
    plot_bench(json.path(), options.plot);
  }
  files.wrote(options.plot);
}

// A warning on stderr before the runs when other programs keep the cores busy.
void warn_if_busy(const BenchCommandOptions& options) {
  if (options.quiet) return;
  const std::string note =
      busy_machine_note(describe_machine(), checked_worker_counts(options.workers));
  if (!note.empty()) messages() << "pblur: warning: " << note << std::endl;
}

int report_errors(const BenchReport& report) {
  for (const std::string& line : bench_error_lines(report)) print_error(line);
  return report.ok() ? kSuccess : kProcessingFailed;
}

// The console report on stdout, then the files asked for.
int finish(const BenchCommandOptions& options, const BenchReport& report,
           const std::string& subject) {
  const BenchRunInfo info{subject, executable_path()};
  make_console_reporter()->report(report, info, std::cout);
  std::cout.flush();
  write_outputs(options, report, info);
  return report_errors(report);
}

BenchOptions bench_options(const BenchCommandOptions& options) {
  BenchOptions bench;
  bench.spec = to_filter_chain(options.filter);
  bench.worker_counts = options.workers;
  bench.repeat = options.repeat;
  bench.warmup = options.warmup;
  return bench;
}

void add_input_options(CLI::App& bench, BenchCommandOptions& options) {
  CLI::Option* image =
      bench.add_option("IMAGE", options.input, "image to filter (decoded once, before timing)");
  CLI::Option* batch = bench.add_option(
      "--batch", options.batch,
      "measure filtering the images of folder DIR as `pblur batch` does instead (images/s; "
      "processes and threads, each splitting by images and by strips), outputs written to a "
      "temporary folder and compared byte for byte with seq's");
  batch->option_text("DIR")->excludes(image);
  bench
      .add_flag("-r,--recursive", options.recursive, "with --batch: also the images in subfolders")
      ->needs(batch);
}

void check_input_given(const BenchCommandOptions& options) {
  if (options.input.empty() && options.batch.empty()) {
    throw UsageError("give an IMAGE or --batch DIR (see pblur bench --help)");
  }
}

std::vector<BatchItem> find_batch_images(const BenchCommandOptions& options) {
  std::error_code error;
  if (!fs::is_directory(options.batch, error)) {  // --batch takes a folder, not an image
    throw InputError("cannot read '" + options.batch + "': " +
                     (fs::exists(options.batch, error) ? "not a folder" : "no such folder"));
  }
  BatchPlanOptions plan;
  plan.inputs = {options.batch};
  plan.output_dir = fs::temp_directory_path() / "pblur-bench-unused";  // outputs go elsewhere
  plan.recursive = options.recursive;
  plan.overwrite = true;
  std::vector<BatchItem> items = plan_batch(plan).work;
  if (items.empty()) {
    throw InputError("no images found in '" + options.batch + "'" +
                     (options.recursive ? "" : " (subfolders are searched with --recursive)"));
  }
  return items;
}

int run_folder_bench_command(const BenchCommandOptions& options, ProcessRuntime& runtime) {
  BenchOptions bench = bench_options(options);
  const std::vector<BatchItem> items = find_batch_images(options);

  warn_if_busy(options);
  ProgressLine progress(!options.quiet && isatty(STDERR_FILENO));
  bench.on_progress = [&](const BenchProgress& p) { progress.update(p); };
  const InterruptStop interrupt;  // so that the temporary outputs are removed
  bench.stop = interrupt.token();
  BenchReport report;
  try {
    report = run_folder_bench(runtime, items, LoadOptions{}, bench);
  } catch (const Interrupted&) {
    progress.clear();
    print_error("interrupted: the benchmark stopped and its temporary outputs were removed");
    return interrupted_exit_code();
  }
  progress.clear();
  return finish(options, report, options.batch);
}

}  // namespace

CLI::App* setup_bench_command(CLI::App& app, BenchCommandOptions& options) {
  CLI::App* bench = app.add_subcommand(
      "bench",
      "Benchmark forked worker processes (shared and copy transports) against oneTBB threads "
      "and the sequential reference on one image, or on a folder with --batch, checking every "
      "output against --seq.");
  add_input_options(*bench, options);
  add_filter_flags(*bench, options.filter);
  bench
      ->add_option("--workers", options.workers,
                   "worker counts, e.g. 1,2,4 (default: 1, 2, 4 ... up to twice the usable CPUs)")
      ->delimiter(',')
      ->check(CLI::Range(1, kMaxWorkers));
  bench
      ->add_option("--repeat", options.repeat,
                   "timed runs per configuration (default: at least 5, enough for about 3 s of "
                   "sequential filtering per worker count)")
      ->check(CLI::Range(1, 1000));
  bench->add_option("--warmup", options.warmup, "untimed runs per configuration after the cold one")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  bench->add_option("--json", options.json, "write every run and the statistics as JSON to FILE");
  bench->add_option("--csv", options.csv, "write one row per configuration as CSV to FILE");
  bench
      ->add_option("--plot", options.plot,
                   "draw time and speedup against workers to FILE (.png or .svg; needs "
                   "python3-matplotlib; not with --batch)")
      ->check(CLI::Validator(check_plot_extension, "FILE.png|FILE.svg"))
      ->excludes("--batch");
  bench->add_flag("-q,--quiet", options.quiet,
                  "nothing on stderr but errors (no progress line, warning or 'wrote' lines)");
  bench->footer(
      "Exit codes: 0 done, 1 a backend failed or its output differed from --seq, 2 bad options, "
      "3 unreadable image (or a missing folder, or one without images), 4 a report or chart cannot "
      "be written, 130/143 interrupted by SIGINT/SIGTERM (with --batch, after removing its "
      "temporary outputs).");
  return bench;
}

int run_bench_command(const BenchCommandOptions& options) {
  check_input_given(options);
  ProcessRuntime runtime;
  check_report_path(options.json, "--json");
  check_report_path(options.csv, "--csv");
  if (!options.batch.empty()) return run_folder_bench_command(options, runtime);
  BenchOptions bench = bench_options(options);
  check_report_path(options.plot, "--plot");
  if (!options.plot.empty()) check_plotting_available();
  const cv::Mat image = load_image(options.input);
  validate(bench.spec, image.depth());

  warn_if_busy(options);
  ProgressLine progress(!options.quiet && isatty(STDERR_FILENO));
  bench.on_progress = [&](const BenchProgress& p) { progress.update(p); };
  const BenchReport report = run_image_bench(runtime, image, bench);
  progress.clear();
  return finish(options, report, options.input);
}

}  // namespace pblur::cli
