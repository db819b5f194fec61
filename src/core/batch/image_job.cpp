#include "core/batch/image_job.h"

#include <cstring>
#include <optional>
#include <stdexcept>

#include "core/backends/file_stream.h"
#include "core/backends/sequential_stream.h"
#include "core/base/errors.h"
#include "core/base/message_header.h"
#include "core/batch/output_record.h"
#include "core/filters/filters.h"
#include "core/os/atomic_output.h"

namespace pblur {

ImageJob job_for(const BatchItem& item, const BatchRunOptions& options) {
  return ImageJob{item.input, item.output, options.spec, options.load, options.save};
}
namespace {

using Clock = std::chrono::steady_clock;

// The fixed part of a task message; the input path and the output path follow it.
struct JobHeader {
  FilterChain spec;
  std::uint64_t max_pixels;
  std::int32_t quality;  // 0: the format's default
  std::uint32_t lossless;
  PixelConversion convert;
  MetadataKeep keep;
  std::uint32_t input_size;
  std::uint32_t output_size;
};

// The fixed part of a result message; the reason follows it when the job failed, then the
// warnings, each ended by a NUL (which no file name holds).
struct ResultHeader {
  std::int64_t load_ns;
  std::int64_t filter_ns;
  std::int64_t save_ns;
  std::uint64_t output_bytes;
  std::uint32_t ok;
  std::uint32_t reason_size;
};

// Longest reason, and longest warnings all told, sent back: far below the result queue's
// message size.
constexpr std::size_t kMaxReason = 2000;
constexpr std::size_t kMaxWarnings = 4000;

void append(std::vector<std::byte>& bytes, const void* data, std::size_t size) {
  const auto* first = static_cast<const std::byte*>(data);
  bytes.insert(bytes.end(), first, first + size);
}

std::string text_of(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// `job` decoded, filtered and encoded strip by strip on this thread, in a window of rows, as
// `pblur IN OUT` streams; nullopt where stream_file leaves it to the whole-image way. Throws
// InputError for an input too large, corrupt or cut short.
std::optional<ImageJobResult> stream_job(const ImageJob& job, const OutputRules& rules) {
  const FileStreamOptions options{job.load.max_pixels, job.save, rules, {}};
  const FileStreamResult streamed =
      stream_file(stream_sequentially, job.input, job.output, job.spec, options);
  if (!streamed.streamed) return std::nullopt;
  ImageJobResult result;
  result.ok = true;
  result.output_bytes = streamed.output_bytes;
  result.times = {streamed.stats.decode, streamed.stats.filter, streamed.stats.encode};
  result.warnings = streamed.warnings;
  return result;
}

ImageJobResult run_whole(const ImageJob& job, const OutputRules& rules) {
  ImageJobResult result;
  auto start = Clock::now();
  ImageOrigin origin;
  const cv::Mat image = load_image(job.input, job.load, &origin);
  validate(job.spec, image.depth());
  check_output_can_hold(job.output, image, job.save.convert);
  auto now = Clock::now();
  result.times.load = now - start;
  start = now;
  const cv::Mat filtered = filter_image(image, job.spec);
  now = Clock::now();
  result.times.filter = now - start;
  start = now;
  const std::vector<uchar> bytes = encode_image(filtered, job.output, job.save, origin);
  write_file_atomically(job.output, std::as_bytes(std::span(bytes)), rules);
  result.times.save = Clock::now() - start;
  result.output_bytes = bytes.size();
  result.warnings = origin.warnings;
  result.ok = true;
  return result;
}

ImageJobResult run_throwing(const ImageJob& job) {
  const OutputRules rules = output_rules_for(job.input, job.spec, job.save);
  try {
    if (std::optional<ImageJobResult> streamed = stream_job(job, rules)) return *streamed;
  } catch (const InputError&) {  // the whole-image way says why as `pblur batch` always has
  }
  return run_whole(job, rules);
}

}  // namespace

ImageJobResult run_image_job(const ImageJob& job) {
  try {
    return run_throwing(job);
  } catch (const InputError& error) {
    return ImageJobResult{false, error.what(), 0, {}};
  } catch (const OutputError& error) {
    return ImageJobResult{false, error.what(), 0, {}};
  } catch (const std::exception& error) {
    return ImageJobResult{
        false, "cannot filter '" + job.input.string() + "': " + error.what(), 0, {}};
  } catch (...) {
    return ImageJobResult{
        false, "cannot filter '" + job.input.string() + "': unknown error", 0, {}};
  }
}

std::vector<std::byte> encode_image_job(const ImageJob& job) {
  const std::string& input = job.input.native();
  const std::string& output = job.output.native();
  const JobHeader header{job.spec,
                         job.load.max_pixels,
                         job.save.quality.value_or(0),
                         job.save.lossless ? 1u : 0u,
                         job.save.convert,
                         job.save.keep,
                         static_cast<std::uint32_t>(input.size()),
                         static_cast<std::uint32_t>(output.size())};
  std::vector<std::byte> bytes;
  bytes.reserve(sizeof header + input.size() + output.size());
  append(bytes, &header, sizeof header);
  append(bytes, input.data(), input.size());
  append(bytes, output.data(), output.size());
  return bytes;
}

ImageJob decode_image_job(std::span<const std::byte> message) {
  const auto header = read_header<JobHeader>(message, "batch");
  const auto paths = message.subspan(sizeof header);
  if (paths.size() != std::size_t{header.input_size} + header.output_size) {
    throw std::runtime_error("malformed batch task");
  }
  ImageJob job;
  job.input = text_of(paths.first(header.input_size));
  job.output = text_of(paths.subspan(header.input_size));
  job.spec = header.spec;
  job.load.max_pixels = header.max_pixels;
  if (header.quality > 0) job.save.quality = header.quality;
  job.save.lossless = header.lossless != 0;
  job.save.convert = header.convert;
  job.save.keep = header.keep;
  return job;
}

void image_job_task(std::span<const std::byte> message, const ResultSender& send) {
  const ImageJobResult result = run_image_job(decode_image_job(message));
  const std::string_view reason = std::string_view(result.reason).substr(0, kMaxReason);
  std::string text(reason);
  for (const std::string& warning : result.warnings) {
    if (text.size() + warning.size() + 1 > reason.size() + kMaxWarnings) break;
    text += warning + '\0';
  }
  const ResultHeader header{result.times.load.count(), result.times.filter.count(),
                            result.times.save.count(), result.output_bytes,
                            result.ok ? 1u : 0u,       std::uint32_t(reason.size())};
  send(std::as_bytes(std::span(&header, 1)), std::as_bytes(std::span(text)));
}

ImageJobResult decode_image_job_result(std::span<const std::byte> message) {
  const auto header = read_header<ResultHeader>(message, "batch");
  ImageJobResult result;
  result.ok = header.ok != 0;
  const auto text = message.subspan(sizeof header);
  if (text.size() < header.reason_size) throw std::runtime_error("malformed batch result");
  result.reason = text_of(text.first(header.reason_size));
  const std::string warnings = text_of(text.subspan(header.reason_size));
  for (std::size_t at = 0, end; (end = warnings.find('\0', at)) != std::string::npos; at = end + 1)
    result.warnings.push_back(warnings.substr(at, end - at));
  result.output_bytes = header.output_bytes;
  result.times = {std::chrono::nanoseconds(header.load_ns),
                  std::chrono::nanoseconds(header.filter_ns),
                  std::chrono::nanoseconds(header.save_ns)};
  return result;
}

}  // namespace pblur
