#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/filters/filter_spec.h"
#include "core/os/machine_info.h"

namespace pblur {

// What one run of a benchmark filters: a decoded image in memory, every worker pool kept from
// one run to the next; or every file of a folder, loaded, filtered and saved as `pblur batch`
// does, each run forking its own pool.
enum class BenchSubject { image, folder };

struct BenchImage {
  int width = 0;
  int height = 0;
  int channels = 0;
  int depth_bits = 0;
};

// What one run processes.
struct BenchInput {
  std::size_t images = 0;
  std::uint64_t bytes = 0;  // of the files; of the decoded pixels for an image
};

// Everything a reader needs to judge the numbers.
struct BenchContext {
  BenchSubject subject = BenchSubject::image;
  MachineInfo machine;
  std::string pblur_version;
  std::string opencv_version;
  std::string onetbb_version;
  bool assertions = false;  // a debug build
  BenchImage image;         // the first image of a folder
  BenchInput input;
  FilterChain spec;
  std::string filter;  // e.g. "gaussian sigma=8 ksize=49 border=reflect101"
  std::vector<int> worker_counts;
  int repeat = 0;
  bool repeat_automatic = false;
  int warmup = 0;
  bool parent_peak_per_run = false;  // false: the peak covers pblur's whole life so far
  // Set when other programs keep cores busy (see busy_machine_note): the timings are slower and
  // noisier than on an idle machine.
  std::string load_note;
  // An image that cannot stream file to file: why (its streamed rows are then missing).
  std::string not_streamed;
};

// "load average 4.40 on 2 usable CPUs: ..." when the 1-minute load average leaves fewer cores
// free than the benchmark's largest worker count (at most the usable CPUs) wants, by more than
// half a core; "" otherwise.
std::string busy_machine_note(const MachineInfo& machine, const std::vector<int>& worker_counts);

// The machine, versions, image, filter and run counts of a benchmark of `subject`, whose (first)
// image is `image`. Throws UsageError naming a worker count out of range.
BenchContext make_bench_context(BenchSubject subject, const cv::Mat& image, const FilterChain& spec,
                                const std::vector<int>& worker_counts, int repeat, int warmup);

}  // namespace pblur
