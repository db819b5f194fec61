#include "codec_test_support.h"

#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "test_support.h"

namespace pblur::testing {

std::vector<std::byte> read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(file)), {});
  const auto bytes = std::as_bytes(std::span(text));
  return {bytes.begin(), bytes.end()};
}

void write_file(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

cv::Mat opencv_read_jpeg(const std::filesystem::path& path) {
  return cv::imread(path.string(), cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH);
}

cv::Mat photo(int rows, int cols, int type) {
  cv::Mat source = cv::imread(sample_image("fruits.jpg").string(), cv::IMREAD_COLOR);
  if (CV_MAT_CN(type) == 1) cv::extractChannel(source, source, 1);
  if (CV_MAT_CN(type) == 4) {
    cv::Mat alpha(source.size(), CV_8U);
    cv::randu(alpha, 0, 256);
    cv::merge(std::vector<cv::Mat>{source, alpha}, source);
  }
  if (CV_MAT_DEPTH(type) == CV_16U) source.convertTo(source, CV_16U, 257.0);
  cv::Mat tiled;
  cv::repeat(source, rows / source.rows + 1, cols / source.cols + 1, tiled);
  return tiled(cv::Rect(0, 0, cols, rows)).clone();
}

cv::Mat read_in_chunks(RowReader& reader, int chunk) {
  const RowLayout& layout = reader.layout();
  cv::Mat image(layout.height, layout.width, layout.cv_type());
  for (int y = 0; y < layout.height; y += chunk) {
    reader.read_rows(reinterpret_cast<std::byte*>(image.ptr(y)), image.step[0],
                     std::min(chunk, layout.height - y));
  }
  return image;
}

}  // namespace pblur::testing
