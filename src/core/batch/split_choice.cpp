#include "core/batch/split_choice.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

#include "core/backends/sequential_stream.h"
#include "core/batch/item_order.h"
#include "core/image/image_header.h"
#include "core/image/row_codecs.h"

namespace pblur {
namespace {

// A worker of the images split that cannot stream its image holds the decoded image, the
// filtered one and the encoded file: three copies, at up to 4 bytes a pixel (8-bit BGRA).
constexpr double kBytesPerPixelInAWorker = 12;

// One that streams holds a window of rows (sequential_stream_bytes), counted twice for the
// codecs' own rows and a filter's context rows, which the choice cannot know.
constexpr std::uint64_t kWindowsPerStreamedImage = 2;

struct CloseFile {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

std::string plural(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::uint64_t physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  return pages > 0 && page_size > 0 ? std::uint64_t(pages) * std::uint64_t(page_size) : 0;
}

// What a worker holds to filter `item`: a window of rows where pblur streams both its input and
// its output, else the whole image as its header gives it (0 where unknown).
double worker_bytes(const BatchItem& item, std::vector<char>& head) {
  if (writer_streams(item.output.extension().string())) {
    const std::unique_ptr<std::FILE, CloseFile> file(std::fopen(item.input.c_str(), "rb"));
    try {
      const std::unique_ptr<RowReader> reader = file ? open_row_reader(file.get()) : nullptr;
      if (reader && reader->can_stream()) {
        return double(kWindowsPerStreamedImage * sequential_stream_bytes(reader->layout(), 0));
      }
    } catch (const CodecError&) {  // judged by its header below
    }
  }
  std::ifstream file(item.input, std::ios::binary);
  file.read(head.data(), std::streamsize(head.size()));
  const auto bytes = std::as_bytes(std::span(head.data(), std::size_t(file.gcount())));
  return double(pixel_count(read_image_header(bytes))) * kBytesPerPixelInAWorker;
}

// The most that a worker holds for one of the few largest files (by bytes).
double largest_worker_bytes(std::span<const BatchItem> items) {
  constexpr std::size_t kSampled = 4, kHeaderBytes = 256 * 1024;
  const std::vector<std::size_t> order = largest_first(items);
  double largest = 0;
  std::vector<char> head(kHeaderBytes);
  for (std::size_t i = 0; i < std::min(kSampled, order.size()); ++i) {
    largest = std::max(largest, worker_bytes(items[order[i]], head));
  }
  return largest;
}

}  // namespace

std::optional<SplitMode> parse_split_mode(std::string_view name) {
  return kSplitModeNames.from_name(name);
}

std::string_view split_mode_name(SplitMode mode) {
  return kSplitModeNames.to_name(mode);
}

SplitDecision choose_split(SplitMode requested, std::span<const BatchItem> items, int workers) {
  if (requested != SplitMode::automatic) return {requested, "as asked"};
  const std::size_t worker_count = std::size_t(std::max(workers, 1));
  if (items.size() < worker_count) {
    return {SplitMode::strips,
            plural(items.size(), "image") + " < " + plural(worker_count, "worker")};
  }
  const double needed = largest_worker_bytes(items) * double(worker_count);
  const std::uint64_t memory = physical_memory();
  if (memory > 0 && needed > double(memory / 2)) {
    return {SplitMode::strips, "one image per worker needs " +
                                   std::to_string(std::llround(needed / double(1 << 30))) +
                                   " GiB, more than half the memory"};
  }
  return {SplitMode::images,
          plural(items.size(), "image") + " >= " + plural(worker_count, "worker")};
}

}  // namespace pblur
