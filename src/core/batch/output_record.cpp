#include "core/batch/output_record.h"

#include <sys/stat.h>
#include <sys/xattr.h>

#include <cerrno>
#include <cstdio>

#include "core/base/stable_hash.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

InputStamp stamp_of(const struct stat& status) {
  return InputStamp{FileId{status.st_dev, status.st_ino}, std::uint64_t(status.st_size),
                    std::int64_t(status.st_mtim.tv_sec) * 1000000000 + status.st_mtim.tv_nsec};
}

std::optional<std::string> read_record(const fs::path& output) {
  char value[256];
  const ssize_t size = getxattr(output.c_str(), kSourceRecordAttribute, value, sizeof value);
  if (size < 0) return std::nullopt;
  return std::string(value, std::size_t(size));
}

bool newer_than(const fs::path& output, const fs::path& input) {
  std::error_code error;
  const auto output_time = fs::last_write_time(output, error);
  if (error) return false;
  const auto input_time = fs::last_write_time(input, error);
  return !error && output_time > input_time;
}

}  // namespace

std::optional<InputStamp> stamp_input(const fs::path& path) {
  struct stat status;
  if (stat(path.c_str(), &status) != 0) return std::nullopt;
  return stamp_of(status);
}

std::string output_options_digest(const FilterChain& chain, const SaveOptions& save) {
  // Every key of every filter, as described for 8-bit images, the pixel space of the blurs, the
  // encoder's quality, the conversions before it and the metadata kept.
  const PixelMode& mode = chain.pixel_mode();
  const PixelConversion& convert = save.convert;
  const MetadataKeep& keep = save.keep;
  const std::string text =
      describe_filter(chain, CV_8U) + " quality=" + std::to_string(save.quality.value_or(0)) +
      " alpha=" + std::to_string(int(mode.alpha)) + " linear=" + std::to_string(mode.linear) +
      " depth8=" + std::to_string(convert.to_8_bits) +
      " flatten=" + std::to_string(convert.flatten) + ":" + std::to_string(convert.background[0]) +
      "," + std::to_string(convert.background[1]) + "," + std::to_string(convert.background[2]) +
      (keep == MetadataKeep::all()
           ? ""
           : " keep=" + std::to_string(keep.exif) + std::to_string(keep.icc) +
                 std::to_string(keep.xmp) + std::to_string(keep.iptc)) +
      (save.lossless ? " lossless" : "");
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(fnv1a_64(text)));
  return digest;
}

std::string source_record(const InputStamp& input, const std::string& options_digest) {
  return "size=" + std::to_string(input.size) + " mtime_ns=" + std::to_string(input.mtime_ns) +
         " options=" + options_digest;
}

OutputRules output_rules_for(const fs::path& input, const FilterChain& spec,
                             const SaveOptions& save) {
  const std::optional<InputStamp> stamp = stamp_input(input);
  if (!stamp) return {};  // loading it fails with the reason
  return OutputRules{{stamp->id}, source_record(*stamp, output_options_digest(spec, save))};
}

namespace {

OutputState judged_by_record(const fs::path& input, const std::string& record,
                             const std::string& options_digest) {
  const std::optional<InputStamp> stamp = stamp_input(input);
  if (!stamp) return OutputState::input_changed;
  if (record == source_record(*stamp, options_digest)) return OutputState::up_to_date;
  const std::string made_from = source_record(*stamp, "");
  return record.starts_with(made_from) ? OutputState::other_options : OutputState::input_changed;
}

OutputState judged_without_record(const fs::path& input, const fs::path& output) {
  return newer_than(output, input) ? OutputState::up_to_date : OutputState::older_unrecorded;
}

}  // namespace

OutputState output_state(const fs::path& input, const fs::path& output,
                         const std::string& options_digest) {
  const std::optional<std::string> record = read_record(output);
  if (!record) {
    if (errno == ENOENT) return OutputState::missing;
    const bool unrecorded = errno == ENODATA || errno == ENOTSUP;
    return unrecorded ? judged_without_record(input, output) : OutputState::older_unrecorded;
  }
  return judged_by_record(input, *record, options_digest);
}

OutputState output_state(const fs::path& input, const fs::path& output,
                         const std::optional<std::string>& record,
                         const std::string& options_digest) {
  std::error_code error;
  if (!fs::exists(output, error)) return OutputState::missing;
  return record ? judged_by_record(input, *record, options_digest)
                : judged_without_record(input, output);
}

bool output_is_up_to_date(const fs::path& input, const fs::path& output,
                          const std::string& options_digest) {
  return output_state(input, output, options_digest) == OutputState::up_to_date;
}

}  // namespace pblur
