#include "core/batch/batch_plan.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstring>
#include <iterator>
#include <map>
#include <set>
#include <system_error>

#include "core/base/errors.h"
#include "core/base/stable_hash.h"
#include "core/batch/folder_scan.h"
#include "core/batch/output_record.h"
#include "core/image/image_io.h"
#include "core/os/atomic_output.h"
#include "core/os/file_identity.h"
#include "core/os/temporary_files.h"

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

// The output extension for `format` ("jpg", ".JPG"), with its dot; UsageError if OpenCV cannot
// write it.
void check_stop(const BatchPlanOptions& options) {
  if (options.stop.stop_requested()) throw Interrupted("stopped while looking for images");
}

std::string output_extension(const std::string& format) {
  if (format.empty()) return "";
  std::string extension = lower(format);
  if (extension.front() != '.') extension.insert(extension.begin(), '.');
  if (extension.size() < 2 || extension.find('/') != std::string::npos ||
      !writes_format(extension)) {
    throw PlanOptionError(
        PlanOptionError::Problem::unknown_format, format, "",
        "the output format '" + format + "' is not one pblur can write (try jpg, png, tif, webp)");
  }
  return extension;
}

void check_suffix(const std::string& suffix) {
  if (suffix.find('/') != std::string::npos) {
    throw PlanOptionError(PlanOptionError::Problem::suffix_with_slash, suffix, "",
                          "the output name suffix '" + suffix +
                              "' contains '/': every output stays in the output folder's mirror "
                              "of its input's folder");
  }
  if (suffix.size() > NAME_MAX) {
    throw PlanOptionError(PlanOptionError::Problem::suffix_too_long, suffix, "",
                          "the output name suffix is " + std::to_string(suffix.size()) +
                              " bytes long: a file name has at most " + std::to_string(NAME_MAX));
  }
}

// Refuses an input folder that the output folder is, or inside which the scan would read the
// outputs.
void check_input_folder(const fs::path& folder, const BatchPlanOptions& options) {
  if (identity_of(options.output_dir) == identity_of(folder)) {
    throw UsageError("OUTPUT_DIR '" + options.output_dir.string() +
                     "' is INPUT_DIR: the outputs would be read as inputs by the next run; "
                     "write them to another folder");
  }
  if (options.recursive && folder_is_within(options.output_dir, folder)) {
    throw PlanOptionError(PlanOptionError::Problem::output_scanned, options.output_dir.string(),
                          folder.string(),
                          "the output folder '" + options.output_dir.string() +
                              "' is inside the input folder '" + folder.string() +
                              "', whose subfolders are read: the outputs would be read as "
                              "inputs; write them to a folder outside it");
  }
}

// Refuses a missing input, an input that is neither a file nor a folder, an output folder that
// is a file, and an output folder that the scan would read.
void check_inputs(const BatchPlanOptions& options) {
  for (const fs::path& input : options.inputs) {
    std::error_code error;
    const auto status = fs::status(input, error);
    if (status.type() == fs::file_type::not_found)
      throw InputError("cannot read '" + input.string() + "': no such file or folder");
    if (fs::is_directory(status)) {
      check_input_folder(input, options);
    } else if (!fs::is_regular_file(status)) {
      throw InputError("cannot read '" + input.string() + "': not a file or a folder");
    }
  }
  std::error_code error;
  if (fs::exists(options.output_dir, error) && !fs::is_directory(options.output_dir, error)) {
    throw OutputError("cannot write into '" + options.output_dir.string() + "': not a folder");
  }
}

// The images of every input: a folder's found by a scan, a file as it is, named by its name.
ScanResult find_images(const BatchPlanOptions& options) {
  ScanResult all;
  const ScanOptions scan{options.recursive, identity_of(options.output_dir), options.stop};
  for (const fs::path& input : options.inputs) {
    std::error_code error;
    if (!fs::is_directory(input, error)) {
      const std::optional<FileId> id = identity_of(input);
      all.images.push_back({input, input.filename().string(), id.value_or(FileId{})});
      continue;
    }
    ScanResult found = scan_for_images(input, scan);
    std::move(found.images.begin(), found.images.end(), std::back_inserter(all.images));
    std::move(found.failures.begin(), found.failures.end(), std::back_inserter(all.failures));
  }
  const auto by_relative = [](const auto& a, const auto& b) { return a.relative < b.relative; };
  std::stable_sort(all.images.begin(), all.images.end(), by_relative);
  std::stable_sort(all.failures.begin(), all.failures.end(), by_relative);
  return all;
}

fs::path output_for(const FoundImage& image, const BatchPlanOptions& options,
                    const std::string& extension) {
  const fs::path relative(image.relative);
  const std::string name = relative.stem().string() + options.suffix +
                           (extension.empty() ? relative.extension().string() : extension);
  return options.output_dir / relative.parent_path() / name;
}

// One input folder's images are named by their path below it, other inputs by their path.
std::string describe_collision(const std::vector<const FoundImage*>& inputs, const fs::path& output,
                               bool one_input) {
  std::string names;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string name = one_input ? inputs[i]->relative : inputs[i]->path.string();
    names += (i == 0 ? "'" : i + 1 == inputs.size() ? " and '" : ", '") + name + "'";
  }
  return names + (inputs.size() == 2 ? " would both" : " would all") + " be written to '" +
         output.string() + "'";
}

// Two inputs with one output: refused before any work.
void check_collisions(const std::vector<FoundImage>& found, const std::vector<fs::path>& outputs,
                      bool one_input) {
  std::map<fs::path, std::vector<const FoundImage*>> writers;
  for (std::size_t i = 0; i < found.size(); ++i) writers[outputs[i]].push_back(&found[i]);
  std::string problems;
  std::size_t count = 0;
  for (const auto& [output, inputs] : writers) {
    if (inputs.size() < 2) continue;
    if (++count <= 3)
      problems += (problems.empty() ? "" : "; ") + describe_collision(inputs, output, one_input);
  }
  if (count == 0) return;
  problems += count > 3 ? "; ..." : "";
  throw PlanOptionError(PlanOptionError::Problem::shared_output_names, problems,
                        std::to_string(count),
                        std::to_string(count) + " output name" + (count > 1 ? "s are" : " is") +
                            " shared by several inputs: " + problems +
                            " (give the outputs a suffix, or keep each input's format)");
}

// An output that is one of the inputs, by any name (a hard or symbolic link, a bind mount):
// refused before any work.
void check_outputs_are_not_inputs(const std::vector<FoundImage>& found,
                                  const std::vector<fs::path>& outputs) {
  std::set<FileId> inputs;
  for (const FoundImage& image : found) inputs.insert(image.id);
  for (std::size_t i = 0; i < found.size(); ++i) {
    const std::optional<FileId> output = identity_of(outputs[i]);
    if (output && inputs.count(*output)) {
      throw UsageError("'" + found[i].relative + "' would be written over the input '" +
                       outputs[i].string() +
                       "' (the same file by another name); write the "
                       "outputs to another folder");
    }
  }
}

// The report must not be an input, anything but a regular file, or one of the outputs.
void check_report(const BatchPlanOptions& options, const std::vector<FoundImage>& found,
                  const std::vector<fs::path>& outputs) {
  if (options.report.empty()) return;
  const std::string name = "cannot write the report '" + options.report.string() + "': ";
  std::vector<FileId> inputs;
  for (const FoundImage& image : found) inputs.push_back(image.id);
  if (const auto problem = replacement_problem(options.report, inputs))
    throw OutputError(name + *problem);
  const auto folder_of = [](const fs::path& path) {
    return identity_of(path.has_parent_path() ? path.parent_path() : fs::path("."));
  };
  const auto report_folder = folder_of(options.report);
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (outputs[i].filename() == options.report.filename() && report_folder &&
        folder_of(outputs[i]) == report_folder) {
      throw OutputError(name + "it is the output of '" + found[i].relative + "'");
    }
  }
}

// Why the output `path` cannot be placed, before any work; empty if it can.
std::string placement_problem(const fs::path& path) {
  if (path.filename().native().size() > NAME_MAX || path.native().size() >= PATH_MAX)
    return "cannot write '" + abbreviated(path) + "': " + std::strerror(ENAMETOOLONG);
  const auto problem = replacement_problem(path, {});
  return problem ? "cannot write '" + abbreviated(path) + "': " + *problem : "";
}

BatchItem item_for(const FoundImage& image, const fs::path& output,
                   const BatchPlanOptions& options) {
  std::error_code error;
  const auto bytes = fs::file_size(image.path, error);
  const std::optional<InputStamp> stamp = stamp_input(image.path);
  return BatchItem{image.path, output, image.relative, error ? 0 : bytes,
                   stamp ? source_record(*stamp, options.options_digest) : ""};
}

bool in_shard(const std::string& relative, const Shard& shard) {
  return shard_of(relative, shard.count) == shard.index;
}

void add_scan_failures(const std::vector<ScanFailure>& failures, const BatchPlanOptions& options,
                       BatchPlan& plan) {
  for (const ScanFailure& failure : failures) {
    if (!failure.folder && !in_shard(failure.relative, options.shard)) continue;
    const BatchItem item{failure.path, options.output_dir / failure.relative, failure.relative, 0};
    plan.failed.push_back({item, failure.reason});
  }
}

// The nearest folder of `folder` and above that is not a folder, or `folder`'s creation error.
std::string folder_problem(const fs::path& folder, const std::error_code& error) {
  for (fs::path above = folder; !above.empty(); above = above.parent_path()) {
    std::error_code status_error;
    const auto status = fs::symlink_status(above, status_error);
    if (fs::exists(status)) {
      if (fs::is_directory(status)) break;
      return "cannot create the folder '" + abbreviated(folder) + "': '" + abbreviated(above) +
             "' is a file, not a folder";
    }
    if (!above.has_relative_path()) break;
  }
  return "cannot create the folder '" + abbreviated(folder) +
         "': " + (error ? error.message() : "a file stands in its way");
}

// Creates `folder`; empty if done, else why not.
std::string make_folder(const fs::path& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (!error && fs::is_directory(folder, error)) return "";
  return folder_problem(folder, error);
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

namespace {

// Where `item` stands, by its extended attribute, or by the manifest where there is one.
OutputState state_of(const BatchItem& item, const BatchPlan& plan,
                     const BatchPlanOptions& options) {
  if (!plan.manifest) return output_state(item.input, item.output, options.options_digest);
  return output_state(item.input, item.output, plan.manifest->record_of(item.output),
                      options.options_digest);
}

// Sorts out this shard's images: to filter, to skip, or failed before any work.
void sort_out(const std::vector<FoundImage>& found, const std::vector<fs::path>& outputs,
              const BatchPlanOptions& options, BatchPlan& plan) {
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (!in_shard(found[i].relative, options.shard)) continue;
    check_stop(options);
    BatchItem item = item_for(found[i], outputs[i], options);
    if (std::string problem = placement_problem(item.output); !problem.empty()) {
      plan.failed.push_back({std::move(item), std::move(problem)});
      continue;
    }
    item.output_state = state_of(item, plan, options);
    const bool skip = !options.overwrite && item.output_state == OutputState::up_to_date;
    (skip ? plan.skipped : plan.work).push_back(std::move(item));
  }
}

}  // namespace

BatchPlan plan_batch(const BatchPlanOptions& options) {
  const std::string extension = output_extension(options.format);
  check_suffix(options.suffix);
  check_inputs(options);
  const ScanResult scan = find_images(options);
  const std::vector<FoundImage>& found = scan.images;
  std::vector<fs::path> outputs;
  outputs.reserve(found.size());
  for (const FoundImage& image : found) outputs.push_back(output_for(image, options, extension));
  check_collisions(found, outputs, options.inputs.size() == 1);
  check_outputs_are_not_inputs(found, outputs);
  check_report(options, found, outputs);

  BatchPlan plan;
  plan.found = found.size();
  if (options.records_in_manifest || !keeps_extended_attributes(options.output_dir))
    plan.manifest.emplace(options.output_dir);
  add_scan_failures(scan.failures, options, plan);
  sort_out(found, outputs, options, plan);
  std::sort(plan.failed.begin(), plan.failed.end(),
            [](const auto& a, const auto& b) { return a.item.relative < b.item.relative; });
  return plan;
}

void create_output_folders(const fs::path& output_dir, BatchPlan& plan) {
  if (std::string problem = make_folder(output_dir); !problem.empty()) throw OutputError(problem);
  std::map<fs::path, std::string> problems;
  for (const BatchItem& item : plan.work) {
    const fs::path folder = item.output.parent_path();
    if (problems.count(folder)) continue;
    problems[folder] = make_folder(folder);
    if (problems[folder].empty()) remove_abandoned_temporaries(folder);
  }
  std::vector<BatchItem> work;
  for (BatchItem& item : plan.work) {
    const std::string& problem = problems[item.output.parent_path()];
    if (problem.empty()) {
      work.push_back(std::move(item));
    } else {
      plan.failed.push_back({item, "cannot write '" + abbreviated(item.output) + "': " + problem});
    }
  }
  plan.work = std::move(work);
  std::sort(plan.failed.begin(), plan.failed.end(),
            [](const auto& a, const auto& b) { return a.item.relative < b.item.relative; });
}

void record_in_manifest(BatchPlan& plan, std::span<const FileResult> results) {
  if (!plan.manifest) return;
  for (const FileResult& result : results) {
    if (result.status != FileStatus::processed) continue;
    const BatchItem& item = plan.work[result.item];
    plan.manifest->set(item.output, item.record);
  }
  plan.manifest->save();
}

}  // namespace pblur
