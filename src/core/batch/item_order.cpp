#include "core/batch/item_order.h"

#include <algorithm>
#include <numeric>

namespace pblur {

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

}  // namespace pblur
