#include <algorithm>
#include <cstdio>
#include <functional>
#include <sstream>

#include "cli/bench_reporter.h"

namespace pblur::cli {
namespace {

constexpr std::size_t kWidth = 100;

// Word-wraps `text` to kWidth columns, continuation lines indented by `indent` spaces.
std::string wrap(const std::string& text, std::size_t indent) {
  std::istringstream words(text);
  std::string word, out, line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line = std::string(indent, ' ');
    } else if (!line.empty() && line.back() != ' ') {
      line += ' ';
    }
    line += word;
  }
  return out + line + "\n";
}

std::string fixed(double value, int width, int decimals) {
  char text[48];
  std::snprintf(text, sizeof text, "%*.*f", width, decimals, value);
  return text;
}

std::string right(const std::string& text, int width) {
  const auto size = static_cast<int>(text.size());
  return size >= width ? text : std::string(std::size_t(width - size), ' ') + text;
}

std::string left(const std::string& text, int width) {
  const auto size = static_cast<int>(text.size());
  return size >= width ? text : text + std::string(std::size_t(width - size), ' ');
}

std::string ms(std::chrono::nanoseconds duration, int width) {
  return fixed(to_ms(duration), width, 1);
}

std::string mib(double kib, int width) {
  return fixed(kib / 1024.0, width, 1);
}

std::string bytes(std::uint64_t count, int width) {
  if (count < 10 * 1024) return right(std::to_string(count) + " B", width);
  if (count < 10 * 1024 * 1024) return right(fixed(double(count) / 1024.0, 0, 1) + " KiB", width);
  return right(fixed(double(count) / (1024.0 * 1024.0), 0, 1) + " MiB", width);
}

// The backend, split (folders) and workers columns.
std::string row_label(const BenchConfig& config) {
  if (!config.split) {
    return left(bench_label(config), 12) + right(std::to_string(config.workers), 8);
  }
  const bool seq = config.backend == BackendKind::sequential;
  return left(std::string(backend_name(config.backend)), 9) +
         left(seq ? "-" : std::string(split_mode_name(*config.split)), 8) +
         right(std::to_string(config.workers), 7);
}

// `subject`: what was filtered.
void context_lines(const BenchReport& report, const std::string& subject, std::ostream& out) {
  const BenchContext& c = report.context;
  const MachineInfo& m = c.machine;
  out << wrap("pblur bench " + c.pblur_version + ": " + subject + "; " + c.filter, 2);
  char load[64];
  std::snprintf(load, sizeof load, "%.2f %.2f %.2f", m.load_average[0], m.load_average[1],
                m.load_average[2]);
  out << wrap("machine: " + m.cpu_model + ", " + std::to_string(m.cores_online) +
                  " cores online, " + std::to_string(m.usable_cpus) + " usable; load " + load +
                  "; OpenCV " + c.opencv_version + ", oneTBB " + c.onetbb_version + ", " +
                  (c.assertions ? "debug" : "release") + " build",
              2);
  out << wrap("runs: " + std::to_string(c.repeat) + " timed" +
                  (c.repeat_automatic ? " (chosen from the sequential time)" : "") +
                  " after 1 cold and " + std::to_string(c.warmup) + " warm-up per configuration; " +
                  describe_order(report),
              2);
  if (!c.load_note.empty()) out << wrap("warning: " + c.load_note, 2);
  out << wrap("fork safety: " + describe_fork_safety(), 2);
  out << wrap("pools: " + describe_pool_lifetime(c.subject), 2);
  out << wrap("input: " + describe_input(c.subject), 2);
}

// One row per configuration, a blank line between worker counts; `numbers` writes the rest of
// the row of a configuration that ran. // The rows of in-memory runs unless `streamed`.
void for_each_row(const std::vector<BenchRow>& rows, std::ostream& out,
                  const std::function<void(const BenchRow&)>& numbers, bool streamed = false) {
  int group = 0;
  for (const BenchRow& r : rows) {
    if (r.config.streamed != streamed) continue;
    if (r.config.group_workers != group && group != 0) out << "\n";
    group = r.config.group_workers;
    out << row_label(r.config);
    if (r.ok()) {
      numbers(r);
    } else {
      out << "   error: see below\n";
    }
  }
}

void timing_table(const BenchReport& report, std::ostream& out) {
  out << "\nTimes in ms over the timed runs. job: the whole in-memory job, decoded image to "
         "filtered image;\nfilter: the filter phase alone.\n";
  out << std::string(20, ' ') << "      whole job (ms)         filter phase (ms)\n";
  out << "backend      workers   median     min     max  median     min     max"
         "  speedup  effic.  procs/thr\n";
  for_each_row(report.rows, out, [&](const BenchRow& r) {
    out << ms(r.job.median, 9) << ms(r.job.min, 8) << ms(r.job.max, 8) << ms(r.filter.median, 8)
        << ms(r.filter.min, 8) << ms(r.filter.max, 8) << fixed(r.speedup, 9, 2)
        << fixed(r.efficiency, 8, 2)
        << (r.procs_threads_ratio ? fixed(*r.procs_threads_ratio, 11, 2) : right("-", 11)) << "\n";
  });
  out << wrap(
      "speedup: seq's median job time over this one's, seq measured in the same group; "
      "effic.: speedup / workers; procs/thr: this median job time over threads' at the "
      "same worker count (above 1: processes are slower).",
      0);
}

std::string optional_ms(std::chrono::nanoseconds value, bool present, int width) {
  return present ? ms(value, width) : right("-", width);
}

std::string worker_mib(const BenchRow& r) {
  const bool procs = is_process_config(r.config);
  return procs ? mib(static_cast<double>(r.workers_peak_rss_kb), 12) : right("-", 12);
}

void phase_table(const BenchReport& report, std::ostream& out) {
  out << "\nPhases (ms, medians of the timed runs), the cold run, queue traffic and peak memory.\n";
  out << "backend      workers  cold job    fork    send  filter  collect  queue/run"
         "  parent MiB  worker MiB\n";
  for_each_row(report.rows, out, [&](const BenchRow& r) {
    const bool procs = is_process_config(r.config);
    out << optional_ms(r.cold ? r.cold->job : std::chrono::nanoseconds(0), r.cold.has_value(), 10)
        << optional_ms(r.cold ? r.cold->phases.start_workers : std::chrono::nanoseconds(0),
                       procs && r.cold, 8)
        << optional_ms(r.send.median, procs, 8) << ms(r.filter.median, 8)
        << optional_ms(r.collect.median, procs, 9)
        << (procs ? bytes(r.queue_bytes, 11) : right("-", 11))
        << mib(static_cast<double>(r.parent_peak_rss_kb), 12) << worker_mib(r) << "\n";
  });
  out << wrap(std::string("cold job: the first run; fork: forking the workers, in the cold run; "
                          "parent MiB: pblur's own peak resident memory, ") +
                  (report.context.parent_peak_per_run ? "the largest over this configuration's runs"
                                                      : "over its whole life so far") +
                  "; worker MiB: the largest worker's peak resident memory, counting the shared "
                  "pages it touched.",
              0);
}

bool has_streamed_rows(const BenchReport& report) {
  return std::any_of(report.rows.begin(), report.rows.end(),
                     [](const BenchRow& r) { return r.config.streamed; });
}

void stream_table(const BenchReport& report, std::ostream& out) {
  if (!report.context.not_streamed.empty()) {
    out << "\n"
        << wrap("streamed: not measured, the image cannot stream file to file: " +
                    report.context.not_streamed,
                2);
  }
  if (!has_streamed_rows(report)) return;
  out << "\nStreamed file to file as `pblur IN OUT` runs: wall and each stage's busy time (ms, "
         "medians).\n";
  out << "backend      workers     wall  stages  decode  filter  encode  overlap"
         "  parent MiB  worker MiB\n";
  for_each_row(
      report.rows, out,
      [&](const BenchRow& r) {
        out << ms(r.job.median, 9) << ms(r.pipeline.median, 8) << ms(r.decode.median, 8)
            << ms(r.filter.median, 8) << ms(r.encode.median, 8) << fixed(r.overlap, 8, 2) << "x"
            << mib(static_cast<double>(r.parent_peak_rss_kb), 12) << worker_mib(r) << "\n";
      },
      true);
  out << wrap(
      "wall: opening the file, filtering and writing the output until it is committed to disk; "
      "stages: from the first row decoded to the last encoded; filter: summed over the workers; "
      "overlap: decode, filter and encode busy times summed over the stages' time (above 1: they "
      "ran at once); parent MiB: pblur's own peak resident memory; worker MiB: the largest "
      "worker's, counting the shared pages it touched.",
      0);
}

void folder_table(const BenchReport& report, std::ostream& out) {
  out << "\nImages per second over the timed runs, each filtering the whole folder; MB/s: of input "
         "files.\n";
  out << std::string(24, ' ') << "   batch (ms)       images per second\n";
  out << "backend  split    workers   median     cold  median     min     max    MB/s"
         "  speedup  procs/thr\n";
  for_each_row(report.rows, out, [&](const BenchRow& r) {
    out << ms(r.job.median, 9) << (r.cold ? ms(r.cold->job, 9) : right("-", 9))
        << fixed(r.images_per_second.median, 8, 2) << fixed(r.images_per_second.min, 8, 2)
        << fixed(r.images_per_second.max, 8, 2) << fixed(r.input_mb_per_second, 8, 1)
        << fixed(r.speedup, 9, 2)
        << (r.procs_threads_ratio ? fixed(*r.procs_threads_ratio, 11, 2) : right("-", 11)) << "\n";
  });
  out << wrap(
      "split images: each worker loads, filters and saves whole images; strips: one image at a "
      "time, cut in strips across the workers. speedup: seq's median time over this one's, seq "
      "measured in the same group; procs/thr: this median time over threads' with the same split "
      "and workers (above 1: processes are slower).",
      0);
}

std::string describe_subject(const BenchReport& report, const BenchRunInfo& info) {
  const BenchContext& c = report.context;
  if (c.subject == BenchSubject::image) return info.image_path + ", " + describe_image(c.image);
  return info.image_path + ", " + std::to_string(c.input.images) + " image" +
         (c.input.images == 1 ? "" : "s") + " of " + fixed(double(c.input.bytes) / 1e6, 0, 1) +
         " MB, the first " + describe_image(c.image);
}

class ConsoleReporter : public BenchReporter {
 public:
  void report(const BenchReport& report, const BenchRunInfo& info,
              std::ostream& out) const override {
    context_lines(report, describe_subject(report, info), out);
    if (report.context.subject == BenchSubject::image) {
      timing_table(report, out);
      phase_table(report, out);
      stream_table(report, out);
    } else {
      folder_table(report, out);
    }
    for (const BenchRow& r : report.rows) {
      if (!r.ok()) out << wrap("error: " + describe_bench_config(r.config) + ": " + r.error, 2);
    }
  }
};

}  // namespace

std::unique_ptr<BenchReporter> make_console_reporter() {
  return std::make_unique<ConsoleReporter>();
}

}  // namespace pblur::cli
