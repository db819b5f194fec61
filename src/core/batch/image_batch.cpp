#include "core/batch/image_batch.h"

#include <malloc.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/base/errors.h"
#include "core/batch/image_job.h"
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

namespace {

// The same jobs as the worker processes run, on threads of this process.
class ThreadedImages {
 public:
  ThreadedImages(std::span<const BatchItem> items, const BatchRunOptions& options)
      : items_(items), options_(options), order_(largest_first(items)) {}

  void run(ReportedItems& reported) {
    const SingleThreadedOpenCv single_threaded;
    const int threads =
        options_.backend.kind == BackendKind::threads ? options_.backend.workers : 1;
    running_ = static_cast<int>(std::min<std::size_t>(std::size_t(threads), items_.size()));
    std::vector<std::jthread> workers;
    for (int t = 0; t < running_; ++t) workers.emplace_back([this] { work(); });
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [this] { return !finished_.empty() || running_ == 0; });
      if (finished_.empty()) break;
      const FileResult result = finished_.front();
      finished_.pop_front();
      lock.unlock();
      reported(result);
      lock.lock();
    }
    if (!reported.complete()) reported.interrupted();
  }

 private:
  void work() {
    while (!stop_requested(options_)) {
      const std::size_t next = next_++;
      if (next >= items_.size()) break;
      const std::size_t item = order_[next];
      const FileResult result = file_result(item, run_image_job(job_for(items_[item], options_)));
      const std::lock_guard lock(mutex_);
      finished_.push_back(result);
      changed_.notify_one();
    }
    const std::lock_guard lock(mutex_);
    --running_;
    changed_.notify_one();
  }

  std::span<const BatchItem> items_;
  const BatchRunOptions& options_;
  std::vector<std::size_t> order_;
  std::atomic<std::size_t> next_{0};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<FileResult> finished_;
  int running_ = 0;
};

}  // namespace

void run_images_in_threads(std::span<const BatchItem> items, const BatchRunOptions& options,
                           ReportedItems& reported) {
  ThreadedImages(items, options).run(reported);
}

}  // namespace pblur
