#include "core/image/whole_image.h"

#include "core/image/exif_orientation.h"

namespace pblur {

RowLayout layout_of(const cv::Mat& image) {
  if (image.dims != 2 || (image.depth() != CV_8U && image.depth() != CV_16U) ||
      (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
    throw CodecError("rows must be 8- or 16-bit gray, BGR or BGRA");
  }
  return {image.cols, image.rows, image.channels(), image.depth() == CV_16U ? 16 : 8};
}

cv::Mat read_whole_image(RowReader& reader, cv::MatAllocator* allocator) {
  const RowLayout& layout = reader.layout();
  cv::Mat image;
  image.allocator = allocator;
  image.create(layout.height, layout.width, layout.cv_type());
  const int first = reader.rows_read();
  reader.read_rows(reinterpret_cast<std::byte*>(image.ptr(first)), image.step[0],
                   layout.height - first);
  apply_exif_orientation(image, reader.orientation());
  return image;
}

void write_whole_image(RowWriter& writer, const cv::Mat& image) {
  if (layout_of(image) != writer.layout()) {
    throw CodecError("the image's size or type is not the writer's");
  }
  writer.write_rows(reinterpret_cast<const std::byte*>(image.data), image.step[0], image.rows);
  writer.finish();
}

}  // namespace pblur
