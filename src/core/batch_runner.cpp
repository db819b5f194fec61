#include "core/batch_runner.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <future>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>
#include <vector>

#include "core/atomic_output.h"
#include "core/errors.h"
#include "core/image_header.h"
#include "core/image_job.h"
#include "core/process_pool.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool stopped(const BatchRunOptions& options) {
  return options.stop && options.stop->load();
}

ImageJob job_for(const BatchItem& item, const BatchRunOptions& options) {
  return ImageJob{item.input, item.output, options.spec, options.load, options.save};
}

FileResult file_result(std::size_t item, const ImageJobResult& job) {
  FileResult result;
  result.item = item;
  result.status = job.ok ? FileStatus::processed : FileStatus::failed;
  result.reason = job.reason;
  result.output_bytes = job.output_bytes;
  result.times = job.times;
  return result;
}

// Largest files first: the last images to finish are then the small ones, and no worker is left
// alone with a big image at the end.
std::vector<std::size_t> largest_first(std::span<const BatchItem> items) {
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return items[a].input_bytes > items[b].input_bytes;
  });
  return order;
}

// Remembers which items were reported, so that an interrupted run can clean up after the rest.
class ReportedItems {
 public:
  ReportedItems(std::span<const BatchItem> items, const FileReport& report)
      : items_(items), report_(report), reported_(items.size(), false) {}

  void operator()(const FileResult& result) {
    reported_[result.item] = true;
    report_(result);
  }

  bool complete() const {
    return std::find(reported_.begin(), reported_.end(), false) == reported_.end();
  }

  // Cleans up after the workers killed on the way out, then throws Interrupted.
  [[noreturn]] void interrupted() const {
    std::set<fs::path> folders;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (!reported_[i]) folders.insert(items_[i].output.parent_path());
    }
    for (const fs::path& folder : folders) remove_abandoned_temporaries(folder);
    throw Interrupted("stopped before every image was done");
  }

 private:
  std::span<const BatchItem> items_;
  const FileReport& report_;
  std::vector<bool> reported_;
};

// A worker of the images split: OpenCV single-threaded (the workers are the parallelism), and
// image-sized buffers kept in the heap from one image to the next instead of being mapped and
// unmapped each time, which costs page faults: about a sixth of the work on 2 MP JPEGs.
void image_worker_init() {
  cv::setNumThreads(1);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

// Images mode with worker processes: one task per image, forked once for the whole batch.
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

// Images mode with threads of this process (--threads, --seq): the same jobs, no forking.
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
    while (!stopped(options_)) {
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

// Strips mode: one image at a time through a FilterBackend that keeps its workers, while a
// thread loads the next image and another saves the previous one.
class StripPipeline {
 public:
  StripPipeline(std::span<const BatchItem> items, const BatchRunOptions& options,
                ProcessRuntime* runtime)
      : items_(items), options_(options), backend_(choice_with_stop(options), runtime) {}

  void run(ReportedItems& reported) {
    std::future<Loaded> next = std::async(std::launch::async, &StripPipeline::load, this, 0);
    std::future<FileResult> saving;
    for (std::size_t i = 0; i < items_.size() && !stopped(options_); ++i) {
      Loaded current = next.get();
      if (i + 1 < items_.size() && !stopped(options_))
        next = std::async(std::launch::async, &StripPipeline::load, this, i + 1);
      if (current.result.status == FileStatus::failed) {
        reported(current.result);
        continue;
      }
      std::optional<FilterResult> filtered = filter(current, saving, reported);
      if (!filtered) continue;
      if (saving.valid()) reported(saving.get());
      saving = std::async(std::launch::async, &StripPipeline::save, this, std::move(current),
                          std::move(filtered->image));
    }
    if (saving.valid()) reported(saving.get());
    if (next.valid()) next.wait();
    if (!reported.complete()) reported.interrupted();
  }

 private:
  struct Loaded {
    cv::Mat image;
    FileResult result;
  };

  static BackendChoice choice_with_stop(const BatchRunOptions& options) {
    BackendChoice choice = options.backend;
    choice.stop = options.stop;
    return choice;
  }

  Loaded load(std::size_t item) {
    Loaded loaded;
    loaded.result.item = item;
    const BatchItem& source = items_[item];
    try {
      const auto start = Clock::now();
      loaded.image = load_image(source.input, options_.load);
      validate(options_.spec, loaded.image.depth());
      check_output_can_hold(source.output, loaded.image);
      loaded.result.times.load = Clock::now() - start;
    } catch (const std::exception& error) {
      loaded.result = fail(item, error);
    }
    return loaded;
  }

  // The filtered image, or nullopt after reporting the failure. On Interrupted, waits for the
  // previous image's save (a whole image, kept), reports it and passes the exception on.
  std::optional<FilterResult> filter(Loaded& current, std::future<FileResult>& saving,
                                     ReportedItems& reported) {
    try {
      const auto start = Clock::now();
      FilterResult filtered = backend_.filter(current.image, options_.spec);
      current.result.times.filter = Clock::now() - start;
      current.image.release();
      return filtered;
    } catch (const Interrupted&) {
      if (saving.valid()) reported(saving.get());
      reported.interrupted();
    } catch (const std::exception& error) {
      reported(fail(current.result.item, error));
    }
    return std::nullopt;
  }

  FileResult save(Loaded loaded, cv::Mat filtered) {
    const BatchItem& target = items_[loaded.result.item];
    try {
      const auto start = Clock::now();
      const std::vector<uchar> bytes = encode_image(filtered, target.output, options_.save);
      write_file_atomically(target.output, std::as_bytes(std::span(bytes)));
      loaded.result.times.save = Clock::now() - start;
      loaded.result.output_bytes = bytes.size();
      return loaded.result;
    } catch (const std::exception& error) {
      return fail(loaded.result.item, error);
    }
  }

  FileResult fail(std::size_t item, const std::exception& error) const {
    FileResult result;
    result.item = item;
    result.status = FileStatus::failed;
    const bool names_file =
        dynamic_cast<const InputError*>(&error) || dynamic_cast<const OutputError*>(&error);
    result.reason = names_file
                        ? error.what()
                        : "cannot filter '" + items_[item].input.string() + "': " + error.what();
    return result;
  }

  std::span<const BatchItem> items_;
  const BatchRunOptions& options_;
  FilterBackend backend_;
};

// A worker of the images split holds the decoded image, the filtered one and the encoded file:
// three copies, at up to 4 bytes a pixel (8-bit BGRA).
constexpr std::uint64_t kBytesPerPixelInAWorker = 12;

std::string plural(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::uint64_t physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  return pages > 0 && page_size > 0 ? std::uint64_t(pages) * std::uint64_t(page_size) : 0;
}

// The most pixels among the few largest files (by bytes), from their headers; 0 where unknown.
std::uint64_t largest_image_pixels(std::span<const BatchItem> items) {
  constexpr std::size_t kSampled = 4, kHeaderBytes = 256 * 1024;
  const std::vector<std::size_t> order = largest_first(items);
  std::uint64_t largest = 0;
  std::vector<char> head(kHeaderBytes);
  for (std::size_t i = 0; i < std::min(kSampled, order.size()); ++i) {
    std::ifstream file(items[order[i]].input, std::ios::binary);
    file.read(head.data(), std::streamsize(head.size()));
    const auto bytes = std::as_bytes(std::span(head.data(), std::size_t(file.gcount())));
    const ImageHeader header = read_image_header(bytes);
    largest = std::max(largest, header.width * header.height);
  }
  return largest;
}

}  // namespace

std::optional<SplitMode> parse_split_mode(std::string_view name) {
  if (name == "auto") return SplitMode::automatic;
  if (name == "images") return SplitMode::images;
  if (name == "strips") return SplitMode::strips;
  return std::nullopt;
}

std::string_view split_mode_name(SplitMode mode) {
  switch (mode) {
    case SplitMode::automatic:
      return "auto";
    case SplitMode::images:
      return "images";
    case SplitMode::strips:
      return "strips";
  }
  return "?";
}

SplitDecision choose_split(SplitMode requested, std::span<const BatchItem> items, int workers) {
  if (requested != SplitMode::automatic) return {requested, "as asked"};
  const std::size_t worker_count = std::size_t(std::max(workers, 1));
  if (items.size() < worker_count) {
    return {SplitMode::strips,
            plural(items.size(), "image") + " < " + plural(worker_count, "worker")};
  }
  const std::uint64_t pixels = largest_image_pixels(items);
  const std::uint64_t needed = pixels * kBytesPerPixelInAWorker * worker_count;
  const std::uint64_t memory = physical_memory();
  if (memory > 0 && needed > memory / 2) {
    return {SplitMode::strips, "one image of " + std::to_string(pixels / 1000000) +
                                   " MP per worker needs " + std::to_string(needed >> 30) +
                                   " GiB, more than half the memory"};
  }
  return {SplitMode::images,
          plural(items.size(), "image") + " >= " + plural(worker_count, "worker")};
}

std::string_view file_status_name(FileStatus status) {
  switch (status) {
    case FileStatus::processed:
      return "processed";
    case FileStatus::skipped:
      return "skipped";
    case FileStatus::failed:
      return "failed";
  }
  return "?";
}

void run_batch(std::span<const BatchItem> items, const BatchRunOptions& options,
               ProcessRuntime* runtime, const FileReport& report) {
  if (items.empty()) return;
  ReportedItems reported(items, report);
  if (options.split == SplitMode::strips) {
    StripPipeline(items, options, runtime).run(reported);
  } else if (options.backend.kind == BackendKind::processes) {
    if (!runtime) throw std::logic_error("the process backend needs a ProcessRuntime");
    run_images_in_processes(items, options, *runtime, reported);
  } else {
    ThreadedImages(items, options).run(reported);
  }
}

}  // namespace pblur
