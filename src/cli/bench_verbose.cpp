#include "cli/bench_verbose.h"

#include <cstdio>

#include "cli/bench_reporter.h"
#include "cli/cli_support.h"

namespace pblur::cli {
namespace {

constexpr const char* kPrefix = "pblur bench: ";

std::string join_labels(std::span<const BenchConfig> configs) {
  std::string labels;
  for (const BenchConfig& config : configs) {
    labels += (labels.empty() ? "" : ", ") + bench_label(config);
  }
  return labels;
}

std::string join_counts(const std::vector<int>& counts) {
  std::string text;
  for (const int count : counts) text += (text.empty() ? "" : ", ") + std::to_string(count);
  return text;
}

std::string describe_rounds(const BenchContext& context) {
  const std::string timed = context.repeat > 0
                                ? std::to_string(context.repeat) + " timed"
                                : "timed ones enough for about 3 s of seq (at least 5)";
  return "1 cold, " + std::to_string(context.warmup) + " warm-up, " + timed;
}

std::string describe_subject(const std::string& subject, const BenchContext& context) {
  if (context.subject == BenchSubject::image) {
    return "image " + printable(subject) + ", " + describe_image(context.image);
  }
  return "folder " + printable(subject) + ", " + std::to_string(context.input.images) +
         " images, the first " + describe_image(context.image);
}

std::string milliseconds(std::chrono::nanoseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", to_ms(duration));
  return text;
}

std::string describe_stages(const BenchSample& sample) {
  return " (busy: decode " + milliseconds(sample.decode) + ", filter " +
         milliseconds(sample.phases.filter) + ", encode " + milliseconds(sample.encode) + " in " +
         milliseconds(sample.pipeline) + ")";
}

}  // namespace

void BenchVerbose::start(const BenchContext& context, std::span<const BenchConfig> configs) {
  if (!started_) settings(context);
  started_ = true;
  const bool streamed = !configs.empty() && configs.front().streamed;
  messages() << kPrefix << (streamed ? "streamed file to file: " : "measuring: ")
             << join_labels(configs) << "\n";
}

void BenchVerbose::settings(const BenchContext& context) const {
  const MachineInfo& machine = context.machine;
  char load[64];
  std::snprintf(load, sizeof load, "%.2f %.2f %.2f", machine.load_average[0],
                machine.load_average[1], machine.load_average[2]);
  messages() << kPrefix << describe_subject(subject_, context) << "\n"
             << kPrefix << "filter " << context.filter << "\n"
             << kPrefix << "workers " << join_counts(context.worker_counts)
             << "; rounds per configuration and worker count: " << describe_rounds(context) << "\n"
             << kPrefix << "machine " << machine.cpu_model << ", " << machine.usable_cpus
             << " usable CPUs, load average " << load << "\n";
}

void BenchVerbose::run(const BenchProgress& progress) const {
  std::string line = kPrefix + std::string(progress.stage);
  if (progress.stage != "cold") {
    line += " " + std::to_string(progress.round) + " of " + std::to_string(progress.rounds);
  }
  line += ", " + describe_bench_config(progress.config) + ": ";
  if (!progress.sample) {
    line += "failed (see the report)";
  } else {
    line += milliseconds(progress.sample->job);
    if (progress.config.streamed) line += describe_stages(*progress.sample);
  }
  messages() << line << std::endl;
}

}  // namespace pblur::cli
