#include "cli/batch_report.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/cli_support.h"
#include "cli/output_options.h"
#include "cli/progress.h"
#include "core/base/errors.h"
#include "core/os/atomic_output.h"
#include "core/os/file_identity.h"

namespace pblur::cli {
namespace {

double seconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

double milliseconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

std::string format_seconds(std::chrono::nanoseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", seconds(duration));
  return text;
}

std::uint64_t input_bytes_processed(const BatchTally& tally) {
  std::uint64_t bytes = 0;
  for (const FileResult& result : tally.results) {
    if (result.status == FileStatus::processed) bytes += tally.plan->work[result.item].input_bytes;
  }
  return bytes;
}

std::string counts_line(const BatchTally& tally) {
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.1f images/s, %.1f MB/s", tally.images_per_second(),
                seconds(tally.elapsed) > 0
                    ? double(input_bytes_processed(tally)) / 1e6 / seconds(tally.elapsed)
                    : 0.0);
  std::string line = std::to_string(tally.count(FileStatus::processed)) + " processed, " +
                     std::to_string(tally.count(FileStatus::skipped)) + " skipped, " +
                     std::to_string(tally.count(FileStatus::failed)) + " failed";
  if (tally.signal != 0) line += ", " + std::to_string(tally.not_started()) + " not started";
  return line + " in " + format_seconds(tally.elapsed) + " (" + rate + ")";
}

void print_phase_totals(const BatchTally& tally) {
  FileTimes total;
  std::size_t count = 0;
  for (const FileResult& result : tally.results) {
    if (result.status != FileStatus::processed) continue;
    total.load += result.times.load;
    total.filter += result.times.filter;
    total.save += result.times.save;
    ++count;
  }
  if (count == 0) return;
  const auto mean = [count](std::chrono::nanoseconds d) { return d / std::int64_t(count); };
  char text[160];
  std::snprintf(text, sizeof text,
                "mean time per image: load %.1f ms, filter %.1f ms, save %.1f ms",
                milliseconds(mean(total.load)), milliseconds(mean(total.filter)),
                milliseconds(mean(total.save)));
  messages() << "pblur: " << text << "\n";
}

nlohmann::ordered_json file_entry(const BatchItem& item, const FileResult* result) {
  nlohmann::ordered_json entry;
  entry["path"] = item.relative;
  entry["input"] = item.input.string();
  entry["output"] = item.output.string();
  entry["status"] =
      result ? file_status_name(result->status) : file_status_name(FileStatus::skipped);
  entry["reason"] = result && !result->reason.empty()
                        ? nlohmann::ordered_json(with_option_names(result->reason))
                        : nullptr;
  entry["input_bytes"] = item.input_bytes;
  const bool processed = result && result->status == FileStatus::processed;
  entry["output_bytes"] = processed ? nlohmann::ordered_json(result->output_bytes) : nullptr;
  const FileTimes times = result ? result->times : FileTimes{};
  entry["load_ms"] = milliseconds(times.load);
  entry["filter_ms"] = milliseconds(times.filter);
  entry["save_ms"] = milliseconds(times.save);
  return entry;
}

nlohmann::ordered_json file_entries(const BatchTally& tally) {
  std::vector<FileResult> failed_before_work;
  for (const PlanFailure& failure : tally.plan->failed) {
    failed_before_work.push_back({0, FileStatus::failed, failure.reason, 0, {}});
  }
  std::vector<std::pair<const BatchItem*, const FileResult*>> files;
  for (const BatchItem& item : tally.plan->skipped) files.emplace_back(&item, nullptr);
  for (std::size_t i = 0; i < failed_before_work.size(); ++i)
    files.emplace_back(&tally.plan->failed[i].item, &failed_before_work[i]);
  for (const FileResult& result : tally.results)
    files.emplace_back(&tally.plan->work[result.item], &result);
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.first->relative < b.first->relative; });
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const auto& [item, result] : files) entries.push_back(file_entry(*item, result));
  return entries;
}

void write_to_stdout(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = write(STDOUT_FILENO, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw OutputError("cannot write the report to standard output: " +
                        std::string(std::strerror(errno)));
    }
    text.remove_prefix(std::size_t(n));
  }
}

}  // namespace

bool report_goes_to_stdout(const std::string& path) {
  return path == "-" || path == "/dev/stdout";
}

std::size_t BatchTally::count(FileStatus status) const {
  if (status == FileStatus::skipped) return plan->skipped.size();
  const std::size_t before_work = status == FileStatus::failed ? plan->failed.size() : 0;
  return before_work +
         std::size_t(std::count_if(results.begin(), results.end(),
                                   [status](const FileResult& r) { return r.status == status; }));
}

std::size_t BatchTally::not_started() const {
  return plan->work.size() - results.size();
}

double BatchTally::images_per_second() const {
  const double s = seconds(elapsed);
  return s > 0 ? double(count(FileStatus::processed)) / s : 0.0;
}

void print_summary(const BatchTally& tally, bool quiet, bool verbose) {
  if (quiet && tally.signal == 0 && tally.halt_failures == 0) return;
  if (tally.signal != 0) {
    messages() << "pblur: error: interrupted by " << signal_name(tally.signal) << ": "
               << counts_line(tally)
               << "\npblur: run the same command again to finish: finished outputs are skipped\n";
  } else if (tally.halt_failures > 0) {
    messages() << "pblur: error: stopped after " << tally.halt_failures
               << " failed (--halt now,fail=" << tally.halt_failures << "): " << counts_line(tally)
               << "\n";
  } else {
    messages() << "pblur: " << counts_line(tally) << "\n";
  }
  if (quiet) return;
  if (verbose) print_phase_totals(tally);
  for (const PlanFailure& failure : tally.plan->failed) print_error(failure.reason);
  for (const FileResult& result : tally.results) {
    if (result.status == FileStatus::failed) print_error(result.reason);
  }
  for (const FileResult& result : tally.results) print_warnings(result.warnings);
}

void write_json_report(const std::filesystem::path& path, const BatchTally& tally) {
  nlohmann::ordered_json report;
  report["pblur"] = PBLUR_VERSION;
  std::error_code error;
  const bool one_folder =
      tally.inputs.size() == 1 && std::filesystem::is_directory(tally.inputs.front(), error);
  report["input_dir"] = one_folder ? nlohmann::ordered_json(tally.inputs.front()) : nullptr;
  report["inputs"] = tally.inputs;
  report["output_dir"] = tally.output_dir;
  report["split"] = split_mode_name(tally.split);
  report["backend"] = backend_name(tally.backend.kind);
  report["workers"] = tally.backend.kind == BackendKind::sequential ? 1 : tally.backend.workers;
  report["interrupted_by"] =
      tally.signal != 0 ? nlohmann::ordered_json(signal_name(tally.signal)) : nullptr;
  report["found"] = tally.plan->found;
  report["processed"] = tally.count(FileStatus::processed);
  report["skipped"] = tally.count(FileStatus::skipped);
  report["failed"] = tally.count(FileStatus::failed);
  report["not_started"] = tally.not_started();
  report["seconds"] = seconds(tally.elapsed);
  report["images_per_second"] = tally.images_per_second();
  report["files"] = file_entries(tally);
  const std::string text =
      report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  if (report_goes_to_stdout(path.native())) {
    write_to_stdout(text);
    return;
  }
  std::vector<FileId> inputs;
  for (const auto* items : {&tally.plan->work, &tally.plan->skipped}) {
    for (const BatchItem& item : *items) {
      if (const auto id = identity_of(item.input)) inputs.push_back(*id);
    }
  }
  write_file_atomically(path, std::as_bytes(std::span(text)), {inputs, ""});
}

}  // namespace pblur::cli
