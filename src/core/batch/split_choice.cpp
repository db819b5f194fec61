#include "core/batch/split_choice.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <vector>

#include "core/batch/item_order.h"
#include "core/image/image_header.h"

namespace pblur {
namespace {

// A worker of the images split holds the decoded image, the filtered one and the encoded file:
// three copies, at up to 4 bytes a pixel (8-bit BGRA).
constexpr double kBytesPerPixelInAWorker = 12;

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
    largest = std::max(largest, pixel_count(header));
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
  const std::uint64_t pixels = largest_image_pixels(items);
  const double needed = double(pixels) * kBytesPerPixelInAWorker * double(worker_count);
  const std::uint64_t memory = physical_memory();
  if (memory > 0 && needed > double(memory / 2)) {
    return {SplitMode::strips, "one image of " + std::to_string(pixels / 1000000) +
                                   " MP per worker needs " +
                                   std::to_string(std::llround(needed / double(1 << 30))) +
                                   " GiB, more than half the memory"};
  }
  return {SplitMode::images,
          plural(items.size(), "image") + " >= " + plural(worker_count, "worker")};
}

}  // namespace pblur
