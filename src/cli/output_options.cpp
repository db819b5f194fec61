#include "cli/output_options.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

#include "cli/cli_support.h"
#include "core/base/errors.h"

namespace pblur::cli {
namespace {

// The metadata a --keep value names, or nullopt with the offending word in `bad`.
std::optional<MetadataKeep> parse_keep(const std::string& text, std::string& bad) {
  if (text == "all") return MetadataKeep::all();
  if (text == "none") return MetadataKeep::none();
  MetadataKeep keep = MetadataKeep::none();
  std::istringstream words(text);
  for (std::string word; std::getline(words, word, ',');) {
    bool* slot = word == "exif"   ? &keep.exif
                 : word == "icc"  ? &keep.icc
                 : word == "xmp"  ? &keep.xmp
                 : word == "iptc" ? &keep.iptc
                                  : nullptr;
    if (!slot) {
      bad = word;
      return std::nullopt;
    }
    *slot = true;
  }
  if (text.empty() || text.back() == ',') {
    bad = "";
    return std::nullopt;
  }
  return keep;
}

CLI::Validator keep_value() {
  return CLI::Validator(
      [](std::string& text) {
        std::string bad;
        if (parse_keep(text, bad)) return std::string();
        return "expected all, none or a list of exif, icc, xmp, iptc, not '" + bad + "'";
      },
      "all|none|exif,icc,xmp,iptc");
}

}  // namespace

void add_output_flags(CLI::App& app, OutputFlags& flags) {
  app.add_option("--keep", flags.keep,
                 "metadata the output keeps of the input's: all, none, or a list of exif, icc, "
                 "xmp, iptc (the resolution is always kept)")
      ->check(keep_value())
      ->capture_default_str();
  app.add_flag("--lossless", flags.lossless,
               "write WebP without loss (default: lossy at quality 75, or lossless when the "
               "input is a lossless WebP); refused with --quality and for other formats");
}

void check_lossless_is_used(const OutputFlags& flags, int quality, const std::string& format) {
  if (!flags.lossless) return;
  if (quality > 0)
    throw UsageError(
        "--lossless and --quality cannot both be given: a lossless WebP has no quality");
  if (format.empty()) return;
  std::string extension = format.substr(format.find_last_of('.') + 1);
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  if (extension != "webp")
    throw UsageError("--lossless is not used by ." + extension + " outputs: only WebP has it");
}

MetadataKeep to_metadata_keep(const OutputFlags& flags) {
  std::string bad;
  return parse_keep(flags.keep, bad).value_or(MetadataKeep::all());
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& warning : warnings)
    messages() << "pblur: warning: " << printable(warning) << "\n";
}

}  // namespace pblur::cli
