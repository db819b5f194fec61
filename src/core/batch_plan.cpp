#include "core/batch_plan.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <system_error>

#include <opencv2/imgcodecs.hpp>

#include "core/errors.h"
#include "core/stable_hash.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

// What cv::imread reads (OpenCV 4.6's documentation of imread); float formats among them (EXR,
// HDR, PFM) are found too and then refused by load_image with the reason.
constexpr std::array<std::string_view, 21> kImageExtensions = {
    ".bmp", ".dib", ".jpeg", ".jpg", ".jpe", ".jp2",  ".png", ".webp", ".pbm", ".pgm", ".ppm",
    ".pxm", ".pnm", ".pfm",  ".sr",  ".ras", ".tiff", ".tif", ".exr",  ".hdr", ".pic"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void check_stop(const BatchPlanOptions& options) {
  if (options.stop && options.stop->load()) throw Interrupted("stopped while looking for images");
}

// The output extension for `format` ("jpg", ".JPG"), with its dot; UsageError if OpenCV cannot
// write it.
std::string output_extension(const std::string& format) {
  if (format.empty()) return "";
  std::string extension = lower(format);
  if (extension.front() != '.') extension.insert(extension.begin(), '.');
  if (extension.size() < 2 || !cv::haveImageWriter("x" + extension)) {
    throw UsageError("--format " + format +
                     ": not a format pblur can write (try jpg, png, tif, webp)");
  }
  return extension;
}

fs::path resolved(const fs::path& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  if (error) absolute = path;
  const fs::path canonical = fs::weakly_canonical(absolute, error);
  return error ? absolute.lexically_normal() : canonical;
}

bool is_within(const fs::path& inner, const fs::path& outer) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (o->empty() && std::next(o) == outer.end()) return true;  // outer has a trailing slash
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

// Checks the two folders; true if one of them contains the other.
bool check_folders(const BatchPlanOptions& options) {
  std::error_code error;
  const auto input_status = fs::status(options.input_dir, error);
  if (input_status.type() == fs::file_type::not_found) {
    throw InputError("cannot read '" + options.input_dir.string() + "': no such folder");
  }
  if (!fs::is_directory(input_status)) {
    throw InputError("cannot read '" + options.input_dir.string() + "': not a folder");
  }
  if (fs::exists(options.output_dir, error) && !fs::is_directory(options.output_dir, error)) {
    throw OutputError("cannot write into '" + options.output_dir.string() + "': not a folder");
  }
  const fs::path input = resolved(options.input_dir), output = resolved(options.output_dir);
  if (input == output) {
    throw UsageError("OUTPUT_DIR '" + options.output_dir.string() +
                     "' is INPUT_DIR: the outputs would be read as inputs by the next run; "
                     "write them to another folder");
  }
  if (options.recursive && is_within(output, input)) {
    throw UsageError("OUTPUT_DIR '" + options.output_dir.string() + "' is inside INPUT_DIR '" +
                     options.input_dir.string() +
                     "' and --recursive would read the outputs as inputs; write them to a folder "
                     "outside INPUT_DIR, or leave out --recursive");
  }
  return is_within(output, input) || is_within(input, output);
}

struct FoundImage {
  fs::path path;
  std::string relative;
};

template <typename Iterator>
std::vector<FoundImage> collect(Iterator iterator, const BatchPlanOptions& options) {
  std::vector<FoundImage> found;
  std::error_code error;
  for (auto end = Iterator(); iterator != end; iterator.increment(error)) {
    if (error) break;
    check_stop(options);
    const fs::directory_entry& entry = *iterator;
    if (!has_image_extension(entry.path()) || !entry.is_regular_file(error)) continue;
    found.push_back(
        {entry.path(), entry.path().lexically_relative(options.input_dir).generic_string()});
  }
  if (error) {
    throw InputError("cannot read the folders below '" + options.input_dir.string() +
                     "': " + error.message());
  }
  return found;
}

std::vector<FoundImage> find_images(const BatchPlanOptions& options) {
  std::error_code error;
  std::vector<FoundImage> found;
  if (options.recursive) {
    found = collect(fs::recursive_directory_iterator(options.input_dir, error), options);
  } else {
    found = collect(fs::directory_iterator(options.input_dir, error), options);
  }
  if (error) {
    throw InputError("cannot read '" + options.input_dir.string() + "': " + error.message());
  }
  std::sort(found.begin(), found.end(),
            [](const FoundImage& a, const FoundImage& b) { return a.relative < b.relative; });
  return found;
}

fs::path output_for(const FoundImage& image, const BatchPlanOptions& options,
                    const std::string& extension) {
  const fs::path relative(image.relative);
  const std::string name = relative.stem().string() + options.suffix +
                           (extension.empty() ? relative.extension().string() : extension);
  return options.output_dir / relative.parent_path() / name;
}

std::string describe_collision(const std::vector<const FoundImage*>& inputs,
                               const fs::path& output) {
  std::string names;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    names += (i == 0 ? "'" : i + 1 == inputs.size() ? " and '" : ", '") + inputs[i]->relative + "'";
  }
  return names + (inputs.size() == 2 ? " would both" : " would all") + " be written to '" +
         output.string() + "'";
}

// Two inputs with one output, or an output that is one of the inputs (possible only where one
// folder holds the other): refused before any work.
void check_collisions(const std::vector<FoundImage>& found, const std::vector<fs::path>& outputs,
                      bool folders_overlap) {
  std::map<fs::path, std::vector<const FoundImage*>> writers;
  for (std::size_t i = 0; i < found.size(); ++i) writers[outputs[i]].push_back(&found[i]);
  std::string problems;
  std::size_t count = 0;
  for (const auto& [output, inputs] : writers) {
    if (inputs.size() < 2) continue;
    if (++count <= 3)
      problems += (problems.empty() ? "" : "; ") + describe_collision(inputs, output);
  }
  if (count > 0) {
    throw UsageError(std::to_string(count) + " output name" + (count > 1 ? "s are" : " is") +
                     " shared by several inputs: " + problems + (count > 3 ? "; ..." : "") +
                     " (use --suffix, or leave out --format)");
  }
  if (!folders_overlap) return;
  std::set<fs::path> inputs;
  for (const FoundImage& image : found) inputs.insert(resolved(image.path));
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (inputs.count(resolved(outputs[i]))) {
      throw UsageError("'" + found[i].relative + "' would be written over the input '" +
                       outputs[i].string() + "'; write the outputs to another folder");
    }
  }
}

// True if `output` exists and was written after `input` last changed.
bool output_is_newer(const fs::path& input, const fs::path& output) {
  std::error_code error;
  const auto output_time = fs::last_write_time(output, error);
  if (error) return false;
  const auto input_time = fs::last_write_time(input, error);
  return !error && output_time > input_time;
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto index = parse_number(text.substr(0, slash));
  const auto count = parse_number(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count) return std::nullopt;
  return Shard{*index, *count};
}

std::uint64_t shard_of(std::string_view relative_path, std::uint64_t count) {
  return fnv1a_64(relative_path) % count;
}

bool has_image_extension(const fs::path& path) {
  const std::string extension = lower(path.extension().string());
  return std::find(kImageExtensions.begin(), kImageExtensions.end(), extension) !=
         kImageExtensions.end();
}

BatchPlan plan_batch(const BatchPlanOptions& options) {
  const std::string extension = output_extension(options.format);
  const bool folders_overlap = check_folders(options);
  const std::vector<FoundImage> found = find_images(options);
  std::vector<fs::path> outputs;
  outputs.reserve(found.size());
  for (const FoundImage& image : found) outputs.push_back(output_for(image, options, extension));
  check_collisions(found, outputs, folders_overlap);

  BatchPlan plan;
  plan.found = found.size();
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (shard_of(found[i].relative, options.shard.count) != options.shard.index) continue;
    check_stop(options);
    std::error_code error;
    const auto bytes = fs::file_size(found[i].path, error);
    BatchItem item{found[i].path, outputs[i], found[i].relative, error ? 0 : bytes};
    const bool skip = !options.overwrite && output_is_newer(item.input, item.output);
    (skip ? plan.skipped : plan.work).push_back(std::move(item));
  }
  return plan;
}

void create_output_folders(const fs::path& output_dir, const BatchPlan& plan) {
  std::set<fs::path> folders{output_dir};
  for (const BatchItem& item : plan.work) folders.insert(item.output.parent_path());
  for (const fs::path& folder : folders) {
    std::error_code error;
    fs::create_directories(folder, error);
    if (error || !fs::is_directory(folder)) {
      throw OutputError("cannot create the folder '" + folder.string() +
                        "': " + (error ? error.message() : "a file of that name exists"));
    }
  }
}

}  // namespace pblur
