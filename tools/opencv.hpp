// OpenCV's headers, for the tools. They trip -Wconversion and C++20 enum deprecation warnings
// when they are not included as system headers; keep those out of the tools' builds.
#pragma once

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wdeprecated-enum-enum-conversion"
#endif
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
