#include "cli/bench_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/bench_plot.h"
#include "cli/bench_reporter.h"
#include "cli/bench_verbose.h"
#include "cli/cli_support.h"
#include "cli/interrupt_stop.h"
#include "core/base/errors.h"
#include "core/batch/batch_plan.h"
#include "core/bench/bench_context.h"
#include "core/bench/bench_stats.h"
#include "core/bench/folder_bench.h"
#include "core/bench/image_bench.h"
#include "core/bench/stream_bench.h"
#include "core/image/image_io.h"
#include "core/ipc/process_runtime.h"
#include "core/os/atomic_output.h"
#include "core/os/machine_info.h"

namespace pblur::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFooter =
    "Examples:\n"
    "  pblur bench photo.jpg --sigma 8\n"
    "  pblur bench photo.jpg --workers 1,2,4 --repeat 9 --json r.json --plot r.png\n"
    "  pblur bench --batch photos/ --workers 2 -v --csv batch.csv --plot batch.svg\n"
    "\n"
    "Exit codes: 0 done, 1 a backend failed or its output differed from --seq, 2 bad options, "
    "3 unreadable image (or a missing folder, or one without images), 4 a report or chart cannot "
    "be written, 130/143 interrupted by SIGINT/SIGTERM (after removing its temporary outputs).";

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
  CLI::Option* image = bench.add_option(
      "IMAGE", options.input,
      "image to filter: decoded once for the in-memory runs, then streamed file to file as "
      "`pblur IMAGE OUT` runs");
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

// What the command shows while the runs go: the progress line on a terminal, or with -v the
// settings and a line per run.
class RunDisplay {
 public:
  RunDisplay(const BenchCommandOptions& options, const std::string& subject)
      : verbose_(options.verbose ? std::make_unique<BenchVerbose>(subject) : nullptr),
        progress_(!options.quiet && !options.verbose && isatty(STDERR_FILENO)) {}

  void attach(BenchOptions& bench) {
    bench.on_progress = [this](const BenchProgress& p) {
      progress_.update(p);
      if (verbose_) verbose_->run(p);
    };
    if (!verbose_) return;
    bench.on_start = [this](const BenchContext& c, std::span<const BenchConfig> configs) {
      verbose_->start(c, configs);
    };
  }
  void clear() { progress_.clear(); }

 private:
  std::unique_ptr<BenchVerbose> verbose_;
  ProgressLine progress_;
};

// Runs `measure` with a stop on SIGINT and SIGTERM, then reports what it measured.
int run_interruptible(const BenchCommandOptions& options, const std::string& subject,
                      const std::function<BenchReport(BenchOptions&)>& measure) {
  BenchOptions bench = bench_options(options);
  RunDisplay display(options, subject);
  display.attach(bench);
  const InterruptStop interrupt;  // so that the temporary outputs are removed
  bench.stop = interrupt.token();
  BenchReport report;
  try {
    report = measure(bench);
  } catch (const Interrupted&) {
    display.clear();
    print_error("interrupted: the benchmark stopped and its temporary outputs were removed");
    return interrupted_exit_code();
  }
  display.clear();
  return finish(options, report, subject);
}

int run_folder_bench_command(const BenchCommandOptions& options, ProcessRuntime& runtime) {
  const std::vector<BatchItem> items = find_batch_images(options);
  warn_if_busy(options);
  return run_interruptible(options, options.batch, [&](BenchOptions& bench) {
    return run_folder_bench(runtime, items, LoadOptions{}, bench);
  });
}

// In memory, then streamed from the file once the decoded image is let go, so that the streamed
// runs' memory is theirs alone.
int run_image_bench_command(const BenchCommandOptions& options, ProcessRuntime& runtime) {
  std::optional<cv::Mat> image = load_image(options.input);
  validate(to_filter_chain(options.filter), image->depth());
  warn_if_busy(options);
  return run_interruptible(options, options.input, [&](BenchOptions& bench) {
    BenchReport report = run_image_bench(runtime, *image, bench);
    image.reset();
    run_stream_bench(runtime, options.input, bench, report);
    return report;
  });
}

}  // namespace

CLI::App* setup_bench_command(CLI::App& app, BenchCommandOptions& options) {
  CLI::App* bench = app.add_subcommand(
      "bench",
      "Benchmark forked worker processes (shared and copy transports) against oneTBB threads "
      "and the sequential reference on one image, in memory and streamed file to file, or on a "
      "folder with --batch, checking every output against --seq.");
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
                   "python3-matplotlib); on an image also the streamed runs' time and overlap, "
                   "with --batch images per second")
      ->check(CLI::Validator(check_plot_extension, "FILE.png|FILE.svg"));
  CLI::Option* quiet =
      bench->add_flag("-q,--quiet", options.quiet,
                      "nothing on stderr but errors (no progress line, warning or 'wrote' lines)");
  bench
      ->add_flag("-v,--verbose", options.verbose,
                 "print the settings (image, filter, backends, workers, rounds, machine load) and "
                 "each run's time as it ends, on stderr")
      ->excludes(quiet);
  bench->footer(kFooter);
  return bench;
}

int run_bench_command(const BenchCommandOptions& options) {
  check_input_given(options);
  ProcessRuntime runtime;
  check_report_path(options.json, "--json");
  check_report_path(options.csv, "--csv");
  check_report_path(options.plot, "--plot");
  if (!options.plot.empty()) check_plotting_available();
  if (!options.batch.empty()) return run_folder_bench_command(options, runtime);
  return run_image_bench_command(options, runtime);
}

}  // namespace pblur::cli
