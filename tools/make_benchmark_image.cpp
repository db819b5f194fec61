// make_benchmark_image: writes a large, photo-like test image for pblur benchmarks.
//
// Usage: make_benchmark_image OUTPUT [--width W] [--height H] [--seed N] [--source PHOTO]
//                             [--stream [--channels 1|3] [--tile T]]
//
// The image is built from a real photograph (--source), upscaled with bicubic
// interpolation and mirror-tiled to the requested size, then given texture at
// several scales: multi-octave smooth noise, a slow colour drift and per-pixel
// grain. All randomness comes from cv::RNG seeded with --seed, so the output is
// the same for the same arguments and OpenCV build. Without --source the
// image is made of noise alone.
//
// With --stream the image is made and written a band of rows at a time (band_texture.hpp,
// band_writers.hpp), in memory of about width x 100 rows whatever the height: the same recipe
// of octaves, drift and grain, from hashed rather than cv::RNG noise, so the pixels differ from
// the whole-image path's but are again the same for the same arguments. It writes JPEG, PNG,
// tiled BigTIFF (uncompressed) and PNM, up to 65500 pixels a side for JPEG and 1048576 for the
// others.
//
// Exit status: 0 on success, 2 on bad arguments (including an unreadable
// --source), 1 if the output cannot be written.
//
// Build: cmake --build --preset default --target make_benchmark_image

#include "opencv.hpp"

#include "band_texture.hpp"
#include "band_writers.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace {

constexpr std::string_view kProgram = "make_benchmark_image";
constexpr int kMaxSide = 30000;
constexpr int kJpegQuality = 92;
constexpr int kStreamMaxSide = 1 << 20;
constexpr int kStreamPngCompression = 1;  // zlib's fastest: a gigapixel PNG in tens of seconds
constexpr int kDefaultTileSide = 256;

constexpr std::string_view kUsage =
    "usage: make_benchmark_image OUTPUT [--width W] [--height H] [--seed N] [--source PHOTO]\n"
    "                            [--stream [--channels 1|3] [--tile T]]\n"
    "\n"
    "Writes a deterministic, photo-like image for benchmarks.\n"
    "  OUTPUT          output file; the extension selects the format (.jpg: quality 92)\n"
    "  --width W       width in pixels (default 6000)\n"
    "  --height H      height in pixels (default 4000)\n"
    "  --seed N        seed for the noise and the tiling offset (default 1)\n"
    "  --source PHOTO  photograph to upscale and tile (default: none, noise only)\n"
    "  --stream        make and write the image band by band, in bounded memory, for huge\n"
    "                  images (.jpg, .png, .tif: tiled BigTIFF, .ppm/.pgm; up to 1048576 a side,\n"
    "                  65500 for JPEG); its pixels differ from the whole-image path's\n"
    "  --channels C    with --stream: 3 (colour, default) or 1 (gray)\n"
    "  --tile T        with --stream: TIFF tile side, a multiple of 16 (default 256)\n";

struct Options {
  std::string output;
  std::string source;
  int width = 6000;
  int height = 4000;
  std::uint64_t seed = 1;
  bool stream = false;
  int channels = 3;
  int tileSide = kDefaultTileSide;
  bool streamOnlyOptionGiven = false;
};

// Thrown for anything wrong with the command line; main() maps it to exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One octave of the texture: smooth noise with features about `cell` pixels apart.
struct Octave {
  int cell;
  float amplitude;
};

template <typename T>
T parseNumber(std::string_view name, std::string_view text) {
  T value{};
  const char* first = text.data();
  const char* last = first + text.size();
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc{} || ptr != last || text.empty()) {
    throw UsageError("invalid value for " + std::string(name) + ": '" + std::string(text) + "'");
  }
  return value;
}

int parseInRange(std::string_view name, std::string_view text, int low, int high) {
  const int value = parseNumber<int>(name, text);
  if (value < low || value > high) {
    throw UsageError(std::string(name) + " must be between " + std::to_string(low) + " and " +
                     std::to_string(high));
  }
  return value;
}

int parseSide(std::string_view name, std::string_view text) {
  return parseInRange(name, text, 1, kStreamMaxSide);
}

// Splits "--name=value" into its parts; "--name" alone yields no value.
std::pair<std::string_view, std::optional<std::string_view>> splitOption(std::string_view arg) {
  const auto eq = arg.find('=');
  if (eq == std::string_view::npos) {
    return {arg, std::nullopt};
  }
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

void applyOption(Options& options, std::string_view name, std::string_view value) {
  if (name == "--width") {
    options.width = parseSide(name, value);
  } else if (name == "--height") {
    options.height = parseSide(name, value);
  } else if (name == "--seed") {
    options.seed = parseNumber<std::uint64_t>(name, value);
  } else if (name == "--source") {
    if (value.empty()) {
      throw UsageError("--source needs a file name");
    }
    options.source = std::string(value);
  } else if (name == "--channels") {
    options.channels = parseInRange(name, value, 1, 3);
    if (options.channels == 2) {
      throw UsageError("--channels must be 1 or 3");
    }
    options.streamOnlyOptionGiven = true;
  } else if (name == "--tile") {
    options.tileSide = parseInRange(name, value, 16, 4096);
    if (options.tileSide % 16 != 0) {
      throw UsageError("--tile must be a multiple of 16");
    }
    options.streamOnlyOptionGiven = true;
  } else {
    throw UsageError("unknown option '" + std::string(name) + "'");
  }
}

void checkWholeImage(const Options& options) {
  for (const auto& [name, side] :
       {std::pair{"--width", options.width}, std::pair{"--height", options.height}}) {
    if (side > kMaxSide) {
      throw UsageError(std::string(name) + " must be between 1 and " + std::to_string(kMaxSide) +
                       " (--stream makes larger images)");
    }
  }
  if (options.streamOnlyOptionGiven) {
    throw UsageError("--channels and --tile need --stream");
  }
  if (!cv::haveImageWriter(options.output)) {
    throw UsageError("no image writer for the extension of '" + options.output + "'");
  }
}

void checkStreamed(const Options& options) {
  const int maxSide = bench_image::maxSideFor(options.output);
  if (options.width > maxSide || options.height > maxSide) {
    throw UsageError("this format holds at most " + std::to_string(maxSide) + " pixels a side");
  }
  if (!bench_image::canWriteBands(options.output, options.channels)) {
    throw UsageError(
        "--stream writes .jpg, .jpeg, .png, .tif, .tiff, .ppm (3 channels) and "
        ".pgm (1 channel), not '" +
        options.output + "'");
  }
}

// Returns std::nullopt when --help was requested.
std::optional<Options> parseArguments(const std::vector<std::string_view>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      return std::nullopt;
    }
    if (arg == "--stream") {
      options.stream = true;
      continue;
    }
    if (arg.starts_with("-") && arg.size() > 1) {
      auto [name, value] = splitOption(arg);
      if (!value) {
        if (i + 1 >= args.size()) {
          throw UsageError("missing value for " + std::string(name));
        }
        value = args[++i];
      }
      applyOption(options, name, *value);
    } else if (options.output.empty()) {
      options.output = std::string(arg);
    } else {
      throw UsageError("unexpected argument '" + std::string(arg) + "'");
    }
  }
  if (options.output.empty()) {
    throw UsageError("missing OUTPUT file name");
  }
  if (options.stream) {
    checkStreamed(options);
  } else {
    checkWholeImage(options);
  }
  return options;
}

bool isJpegName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.ends_with(".jpg") || lower.ends_with(".jpeg");
}

// Smooth noise: a coarse grid of normal random values (one per `cell` pixels)
// upscaled bicubically to `size`. Values have roughly unit spread.
cv::Mat smoothNoise(cv::Size size, int cell, cv::RNG& rng) {
  const cv::Size grid(std::max(2, size.width / cell + 2), std::max(2, size.height / cell + 2));
  cv::Mat coarse(grid, CV_32F);
  rng.fill(coarse, cv::RNG::NORMAL, 0.0, 1.0);
  cv::Mat fine;
  cv::resize(coarse, fine, size, 0.0, 0.0, cv::INTER_CUBIC);
  return fine;
}

// Sum of several octaves of smooth noise, from large blotches to fine texture.
cv::Mat fractalNoise(cv::Size size, const std::vector<Octave>& octaves, cv::RNG& rng) {
  cv::Mat sum = cv::Mat::zeros(size, CV_32F);
  for (const Octave& octave : octaves) {
    cv::scaleAdd(smoothNoise(size, octave.cell, rng), octave.amplitude, sum, sum);
  }
  return sum;
}

// The photograph, upscaled so that about two copies span the output, then
// mirror-tiled from a seed-dependent offset so that no seams show.
cv::Mat tiledPhoto(const cv::Mat& photo, cv::Size size, cv::RNG& rng) {
  const double scale =
      std::max({1.0, size.width / (2.0 * photo.cols), size.height / (2.0 * photo.rows)});
  cv::Mat upscaled;
  cv::resize(photo, upscaled, cv::Size(), scale, scale, cv::INTER_CUBIC);

  const int offsetX = rng.uniform(0, upscaled.cols);
  const int offsetY = rng.uniform(0, upscaled.rows);
  const int right = std::max(0, size.width + offsetX - upscaled.cols);
  const int bottom = std::max(0, size.height + offsetY - upscaled.rows);
  cv::Mat tiled;
  cv::copyMakeBorder(upscaled, tiled, 0, bottom, 0, right, cv::BORDER_REFLECT);
  return tiled(cv::Rect(offsetX, offsetY, size.width, size.height)).clone();
}

// A neutral mid-grey start for images made without a source photograph; the
// colour drift and noise octaves then supply all of the structure.
cv::Mat flatBase(cv::Size size) {
  return cv::Mat(size, CV_8UC3, cv::Scalar::all(128));
}

cv::Mat buildImage(const cv::Mat& photo, cv::Size size, std::uint64_t seed) {
  cv::RNG rng(seed);
  const bool hasPhoto = !photo.empty();
  const cv::Mat base = hasPhoto ? tiledPhoto(photo, size, rng) : flatBase(size);

  // Photographs already have large structure; noise alone needs stronger low octaves.
  const float low = hasPhoto ? 10.0f : 45.0f;
  const std::vector<Octave> lumaOctaves = {
      {512, low}, {128, 0.7f * low}, {32, 6.0f}, {8, 4.0f}, {3, 3.0f}};
  const cv::Mat luma = fractalNoise(size, lumaOctaves, rng);
  const float drift = hasPhoto ? 8.0f : 40.0f;
  const float grainSigma = 3.5f;

  std::vector<cv::Mat> planes;
  cv::split(base, planes);
  for (cv::Mat& plane : planes) {
    cv::Mat value;
    plane.convertTo(value, CV_32F);
    value += luma;
    cv::scaleAdd(smoothNoise(size, 1024, rng), drift, value, value);
    cv::Mat grain(size, CV_32F);
    rng.fill(grain, cv::RNG::NORMAL, 0.0, grainSigma);
    value += grain;
    value.convertTo(plane, CV_8U);  // rounds and saturates to 0..255
  }
  cv::Mat image;
  cv::merge(planes, image);
  return image;
}

cv::Mat loadSource(const std::string& path) {
  if (path.empty()) {
    return {};
  }
  cv::Mat photo = cv::imread(path, cv::IMREAD_COLOR);
  if (photo.empty()) {
    throw UsageError("cannot read source photo '" + path + "'");
  }
  return photo;
}

bool writeImage(const std::string& path, const cv::Mat& image) {
  std::vector<int> params;
  if (isJpegName(path)) {
    params = {cv::IMWRITE_JPEG_QUALITY, kJpegQuality};
  }
  try {
    return cv::imwrite(path, image, params);
  } catch (const cv::Exception& e) {
    std::cerr << kProgram << ": " << e.what() << '\n';
    return false;
  }
}

cv::Mat streamSource(const Options& options) {
  cv::Mat photo = loadSource(options.source);
  if (!photo.empty() && options.channels == 1) {
    cv::cvtColor(photo, photo, cv::COLOR_BGR2GRAY);
  }
  return photo;
}

void writeBands(const Options& options, const bench_image::BandTexture& texture,
                bench_image::BandWriter& writer) {
  const int bandRows = writer.bandRows();
  std::vector<std::uint8_t> band(static_cast<std::size_t>(bandRows) *
                                 static_cast<std::size_t>(options.width) *
                                 static_cast<std::size_t>(options.channels));
  for (int y = 0; y < options.height; y += bandRows) {
    const int rows = std::min(bandRows, options.height - y);
    texture.render(y, rows, band.data());
    writer.write(band.data(), rows);
  }
  writer.finish();
}

int runStreamed(const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  const bench_image::BandTexture texture(cv::Size(options.width, options.height), options.channels,
                                         options.seed, streamSource(options));
  const bench_image::ImageShape shape{options.width, options.height, options.channels};
  auto writer = bench_image::openBandWriter(
      options.output, shape, {kJpegQuality, kStreamPngCompression, options.tileSide});
  try {
    writeBands(options, texture, *writer);
  } catch (const std::exception& e) {
    writer.reset();
    std::remove(options.output.c_str());  // never leave a partial image behind
    std::cerr << kProgram << ": " << e.what() << '\n';
    return 1;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::cout << "wrote " << options.output << " (" << options.width << "x" << options.height << ", "
            << options.channels << " channel" << (options.channels == 1 ? "" : "s") << ", seed "
            << options.seed << ", streamed) in " << elapsed.count() << " s\n";
  return 0;
}

int run(const Options& options) {
  if (options.stream) {
    return runStreamed(options);
  }
  const auto start = std::chrono::steady_clock::now();
  const cv::Mat photo = loadSource(options.source);
  const cv::Mat image = buildImage(photo, cv::Size(options.width, options.height), options.seed);
  if (!writeImage(options.output, image)) {
    std::cerr << kProgram << ": cannot write '" << options.output << "'\n";
    return 1;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::cout << "wrote " << options.output << " (" << image.cols << "x" << image.rows << ", seed "
            << options.seed << ") in " << elapsed.count() << " s\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Errors are reported here in one line; OpenCV's own warnings would only repeat them.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  try {
    const std::optional<Options> options = parseArguments(args);
    if (!options) {
      std::cout << kUsage;
      return 0;
    }
    return run(*options);
  } catch (const UsageError& e) {
    std::cerr << kProgram << ": " << e.what() << " (see --help)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << kProgram << ": " << e.what() << '\n';
    return 1;
  }
}
