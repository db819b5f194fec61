#include "cli/bench_reporter.h"

namespace pblur::cli {

std::string bench_config_name(const BenchConfig& config) {
  const std::string pipeline = config.streamed ? "streamed/" : "";
  if (config.backend == BackendKind::sequential) {
    return pipeline + bench_label(config) + "/group:" + std::to_string(config.group_workers);
  }
  return pipeline + bench_label(config) + "/workers:" + std::to_string(config.workers);
}

std::string describe_bench_config(const BenchConfig& config) {
  const std::string label = (config.streamed ? "streamed " : "") + bench_label(config);
  if (config.backend == BackendKind::sequential) {
    return label + " (measured with the " + std::to_string(config.group_workers) + "-worker group)";
  }
  return label + " with " + std::to_string(config.workers) +
         (config.workers == 1 ? " worker" : " workers");
}

const char* pipeline_name(const BenchConfig& config) {
  return config.streamed ? "streamed" : "memory";
}

std::string describe_image(const BenchImage& image) {
  const char* kChannels[] = {"", "gray", "", "BGR", "BGRA"};
  const std::string channels = image.channels <= 4 ? kChannels[image.channels] : "?";
  return std::to_string(image.width) + "x" + std::to_string(image.height) + " " + channels + " " +
         std::to_string(image.depth_bits) + "-bit";
}

std::vector<std::string> bench_error_lines(const BenchReport& report) {
  std::vector<std::string> lines;
  for (const BenchRow& row : report.rows) {
    if (!row.ok()) lines.push_back(describe_bench_config(row.config) + ": " + row.error);
  }
  return lines;
}

std::string backend_column(const BenchConfig& config) {
  return config.split ? std::string(backend_name(config.backend)) : bench_label(config);
}

std::string describe_fork_safety() {
  return "workers are forked by a single-threaded fork server started first thing, before any "
         "oneTBB or OpenCV thread, so pools can be made at any time after it and every "
         "configuration runs in this one process";
}

std::string describe_pool_lifetime(BenchSubject subject) {
  if (subject == BenchSubject::folder) {
    return "every run is a whole `pblur batch` run: process configurations fork their pool at its "
           "start, and the timed runs include that";
  }
  return "one worker pool per process configuration and worker count, forked in its first (cold) "
         "run and kept for its warm-up and timed runs; timed runs do not include forking";
}

std::string describe_input(BenchSubject subject) {
  if (subject == BenchSubject::folder) {
    return "every run loads, filters and saves every image of the folder, writing into a "
           "temporary folder per configuration (removed at the end); every output file is "
           "compared byte for byte with seq's";
  }
  return "every job starts from the decoded image: in ordinary memory, and for procs-shared in "
         "shared memory, where pblur decodes an image for that transport; then every streamed run "
         "reads the file, filters and writes a temporary file as `pblur IN OUT` does, decoding, "
         "filtering and encoding at once, and its bytes are compared with seq's";
}

std::string describe_order(const BenchReport& report) {
  std::string round;
  for (const BenchRow& row : report.rows) {
    if (row.config.group_workers != report.rows.front().config.group_workers) break;
    if (row.config.streamed) break;
    round += (round.empty() ? "" : ", ") + bench_label(row.config);
  }
  return "per worker count: one cold run of each configuration, then warm-up rounds, then timed "
         "rounds, each round running " +
         round + " once";
}

double to_ms(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

}  // namespace pblur::cli
