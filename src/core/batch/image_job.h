#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/batch/batch_options.h"
#include "core/batch/batch_plan.h"
#include "core/batch/file_result.h"
#include "core/ipc/process_pool.h"

namespace pblur {

// One whole image for one worker: decode it, filter it, encode the result.
struct ImageJob {
  std::filesystem::path input;
  std::filesystem::path output;
  FilterChain spec;
  LoadOptions load;
  SaveOptions save;
};

struct ImageJobResult {
  bool ok = false;
  std::string reason;  // when not ok: one line that names the file
  std::uint64_t output_bytes = 0;
  FileTimes times;
  std::vector<std::string> warnings = {};  // metadata dropped and the like, one line each
};

// The job of loading, filtering and saving `item` with `options`.
ImageJob job_for(const BatchItem& item, const BatchRunOptions& options);

// Runs `job` on this thread with OpenCV as it is set up (single-threaded in pool workers): strip
// by strip in a window of rows where `pblur IN OUT` would stream it (stream_sequentially), else
// loaded, filtered and saved whole. Never throws: a failure is a result, its reason naming the
// file.
ImageJobResult run_image_job(const ImageJob& job);

// A job as a ProcessPool task message, and back.
std::vector<std::byte> encode_image_job(const ImageJob& job);
ImageJob decode_image_job(std::span<const std::byte> message);

// The ProcessPool handler: runs the job of one task message and sends an encoded ImageJobResult.
void image_job_task(std::span<const std::byte> message, const ResultSender& send);
ImageJobResult decode_image_job_result(std::span<const std::byte> message);

}  // namespace pblur
