#include "core/batch/image_batch.h"

#include <malloc.h>

#include <algorithm>
#include <vector>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "core/backends/thread_backend.h"
#include "core/base/errors.h"
#include "core/batch/image_job.h"
#include "core/batch/item_order.h"
#include "core/ipc/process_pool.h"
#include "core/os/temporary_files.h"

namespace pblur {
namespace {

FileResult file_result(std::size_t item, const ImageJobResult& job) {
  FileResult result;
  result.item = item;
  result.status = job.ok ? FileStatus::processed : FileStatus::failed;
  result.reason = job.reason;
  result.output_bytes = job.output_bytes;
  result.times = job.times;
  result.warnings = job.warnings;
  return result;
}

// A worker of the images split: OpenCV single-threaded (the workers are the parallelism), and
// image-sized buffers kept in the heap from one image to the next instead of being mapped and
// unmapped each time, which costs page faults: about a sixth of the work on 2 MP JPEGs.
void image_worker_init() {
  cv::setNumThreads(1);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace

void run_images_in_processes(std::span<const BatchItem> items, const BatchRunOptions& options,
                             ProcessRuntime& runtime, ReportedItems& reported) {
  const std::vector<std::size_t> order = largest_first(items);
  std::vector<std::vector<std::byte>> tasks;
  tasks.reserve(items.size());
  for (const std::size_t i : order) tasks.push_back(encode_image_job(job_for(items[i], options)));

  PoolOptions pool_options;
  pool_options.workers =
      static_cast<int>(std::min<std::size_t>(std::size_t(options.backend.workers), items.size()));
  pool_options.task_timeout = options.backend.strip_timeout;
  pool_options.worker_init = image_worker_init;
  pool_options.stop = options.stop;
  ProcessPool pool(runtime.arena, runtime.server, image_job_task, pool_options);
  try {
    pool.run(
        tasks.size(),
        [&](std::size_t i) {
          return TaskBytes{tasks[i], {}};
        },
        [&](const TaskOutcome& outcome) {
          const std::size_t item = order[outcome.index];
          if (outcome.ok) {
            reported(file_result(item, decode_image_job_result(outcome.result)));
          } else {  // its worker died: it may have left a temporary file
            remove_abandoned_temporaries(items[item].output.parent_path());
            ImageJobResult failed;
            failed.reason = "cannot filter '" + items[item].input.string() + "': " + outcome.error;
            reported(file_result(item, failed));
          }
        });
  } catch (const Interrupted&) {
    reported.interrupted();
  }
}

// The same jobs as the worker processes run, on the threads of an arena of their own: a serial
// stage hands out the items (largest first) until a stop is requested, the jobs run in parallel,
// and a serial stage reports each as it finishes.
void run_images_in_threads(std::span<const BatchItem> items, const BatchRunOptions& options,
                           ReportedItems& reported) {
  const SingleThreadedOpenCv single_threaded;
  const int threads = options.backend.kind == BackendKind::threads ? options.backend.workers : 1;
  const std::size_t workers = std::min(std::size_t(std::max(threads, 1)), items.size());
  const std::vector<std::size_t> order = largest_first(items);
  std::size_t next = 0;
  const auto hand_out = [&](tbb::flow_control& control) {
    if (next == order.size() || options.stop.stop_requested()) {
      control.stop();
      return std::size_t{0};
    }
    return order[next++];
  };
  const auto run_job = [&](std::size_t item) {
    return file_result(item, run_image_job(job_for(items[item], options)));
  };
  using tbb::filter_mode;
  tbb::task_arena(arena_concurrency(static_cast<int>(workers))).execute([&] {
    tbb::parallel_pipeline(
        workers, tbb::make_filter<void, std::size_t>(filter_mode::serial_in_order, hand_out) &
                     tbb::make_filter<std::size_t, FileResult>(filter_mode::parallel, run_job) &
                     tbb::make_filter<FileResult, void>(
                         filter_mode::serial_out_of_order,
                         [&](const FileResult& result) { reported(result); }));
  });
  if (!reported.complete()) reported.interrupted();
}

}  // namespace pblur
