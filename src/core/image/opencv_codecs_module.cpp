// The module pblur_opencv_codecs: OpenCV's imgcodecs behind plain functions that
// opencv_codecs.cpp finds with dlsym. Built with pblur by the same compiler, so the C++ types
// passed across are the same on both sides; no exception crosses.
#include <exception>
#include <vector>

#include <opencv2/imgcodecs.hpp>

extern "C" {

bool pblur_opencv_decode(const uchar* data, std::size_t size, int flags, cv::Mat* image) {
  try {
    const cv::Mat buffer(1, static_cast<int>(size), CV_8U, const_cast<uchar*>(data));
    cv::imdecode(buffer, flags, image);
    return !image->empty();
  } catch (const std::exception&) {
    return false;
  }
}

bool pblur_opencv_encode(const char* extension, const cv::Mat* image, const int* parameters,
                         std::size_t parameter_count, std::vector<uchar>* bytes) {
  try {
    return cv::imencode(extension, *image, *bytes,
                        std::vector<int>(parameters, parameters + parameter_count));
  } catch (const std::exception&) {
    return false;
  }
}

bool pblur_opencv_has_writer(const char* extension) {
  try {
    return cv::haveImageWriter(std::string("x") + extension);
  } catch (const std::exception&) {
    return false;
  }
}
}
