#include "core/image/row_codec.h"

#include <opencv2/core.hpp>

namespace pblur {

int RowLayout::cv_type() const {
  return CV_MAKETYPE(bits == 16 ? CV_16U : CV_8U, channels);
}

}  // namespace pblur
