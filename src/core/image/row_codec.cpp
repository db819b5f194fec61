#include "core/image/row_codec.h"

#include <opencv2/core.hpp>

namespace pblur {

int RowLayout::cv_type() const {
  return CV_MAKETYPE(bits == 16 ? CV_16U : CV_8U, channels);
}

void check_more_rows(const RowLayout& layout, int done, int count) {
  if (count < 0 || count > layout.height - done) {
    throw CodecError("rows " + std::to_string(done) + " to " + std::to_string(done + count) +
                     " are outside the image's " + std::to_string(layout.height));
  }
}

void check_all_rows(const RowLayout& layout, int done) {
  if (done != layout.height) {
    throw CodecError("finished after " + std::to_string(done) + " of " +
                     std::to_string(layout.height) + " rows");
  }
}

}  // namespace pblur
