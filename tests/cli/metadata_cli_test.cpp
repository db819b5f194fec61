// What an output keeps of its input's metadata, read back by an independent reader (exiftool):
// every tag and the ICC profile byte for byte through JPEG, PNG, TIFF and WebP and across them,
// an applied orientation written as 1, --keep none, a corrupt EXIF block dropped with a warning
// (in batch workers too), and a JPEG input's quality kept.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
// GCC 12 at -O1 with AddressSanitizer warns of maybe-uninitialized members inside <regex>'s own
// automaton (a false positive in the library's templates).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#include <sstream>

#include "cli_runner.h"
#include "test_support.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;
using Tags = std::map<std::string, std::string>;

// Runs `command` in a shell; its standard output. Fails the test if it exits with non-zero.
std::string shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

// exiftool's "[Group] Tag : value" lines as "Group:Tag" -> value, for the groups that hold
// metadata (the file's own structure left out); IPTC's group numbered as exiftool finds it.
Tags tags_of(const fs::path& file) {
  static const std::regex line(R"(\[([^\]]+)\]\s+(\S+)\s*: ?(.*))");
  static const std::regex kept(R"(IFD0|ExifIFD|XMP-.*|IPTC\d*|ICC.*|JFIF|PNG-pHYs)");
  std::istringstream lines(shell("exiftool -a -G1 -s -n " + quoted(file)));
  Tags tags;
  for (std::string text; std::getline(lines, text);) {
    std::smatch match;
    if (!std::regex_match(text, match, line) || !std::regex_match(match[1].str(), kept)) continue;
    const std::string group = std::regex_replace(match[1].str(), std::regex(R"(IPTC\d+)"), "IPTC");
    tags[group + ":" + match[2].str()] = match[3].str();
  }
  return tags;
}

// The tags of `tags` whose group matches `groups`.
Tags only(const Tags& tags, const std::string& groups) {
  const std::regex pattern(groups);
  Tags kept;
  for (const auto& [key, value] : tags) {
    if (std::regex_match(key.substr(0, key.find(':')), pattern)) kept[key] = value;
  }
  return kept;
}

std::string icc_of(const fs::path& file) {
  return shell("exiftool -b -ICC_Profile " + quoted(file));
}

// A Q80 photo with an sRGB profile (tests/image/srgb.icc, Little CMS's), 300 dpi, and EXIF, XMP and
// IPTC tags written by exiftool; `format` is Pillow's ("JPEG", "PNG", "TIFF", "WEBP").
fs::path tagged_photo(const testing::TemporaryFolder& folder, const std::string& name,
                      const std::string& format, int orientation = 1) {
  const fs::path photo = folder / name;
  const fs::path icc =
      testing::sample_image("fruits.jpg").parent_path().parent_path() / "tests/image/srgb.icc";
  shell("/usr/bin/python3 -c \"from PIL import Image; icc = open('" + icc.string() +
        "', 'rb').read(); Image.open('" + testing::sample_image("fruits.jpg").string() +
        "').save('" + photo.string() + "', '" + format +
        "', quality=80, icc_profile=icc, dpi=(300, 300))\"");
  const bool has_iptc = format != "PNG" && format != "WEBP";
  const std::string iptc = has_iptc ? " -IPTC:Keywords=blur -IPTC:City=Lyon" : "";
  shell(
      "exiftool -q -overwrite_original -Make=Canon '-Model=EOS 5D' "
      "'-DateTimeOriginal=2024:05:01 10:00:00' '-Copyright=Jane Doe' -ExifImageWidth=512 "
      "-ExifImageHeight=480 -Orientation#=" +
      std::to_string(orientation) + " -XMP-dc:Creator=Jane -XMP-dc:Rights=CC-BY" + iptc + " " +
      quoted(photo));
  return photo;
}

void filter(const std::vector<std::string>& arguments) {
  const testing::CommandResult result = testing::run_pblur(arguments);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, ::testing::Not(::testing::HasSubstr("pblur:")));  // oneTBB may warn
}

constexpr const char* kEveryGroup = "IFD0|ExifIFD|XMP-.*|IPTC|ICC.*";

TEST(MetadataCli, AJpegKeepsEveryTagAndItsProfileInEveryBackend) {
  testing::TemporaryFolder folder;
  const fs::path in = tagged_photo(folder, "in.jpg", "JPEG");
  const Tags expected = only(tags_of(in), kEveryGroup + std::string("|JFIF"));
  ASSERT_GT(expected.size(), 40u);
  ASSERT_EQ(expected.at("IPTC:City"), "Lyon");
  for (const std::vector<std::string>& backend :
       {std::vector<std::string>{"--seq"}, {"--threads", "3"}, {"--procs", "2"}}) {
    const fs::path out = folder / "out.jpg";
    std::vector<std::string> arguments = {in.string(), out.string()};
    arguments.insert(arguments.end(), backend.begin(), backend.end());
    filter(arguments);
    EXPECT_EQ(only(tags_of(out), kEveryGroup + std::string("|JFIF")), expected) << backend[0];
    EXPECT_EQ(icc_of(out), icc_of(in));
  }
}

TEST(MetadataCli, AnAppliedOrientationIsWrittenAsOneAndTheExifSizeTurnsWithTheImage) {
  testing::TemporaryFolder folder;
  const fs::path in = tagged_photo(folder, "in.jpg", "JPEG", 6);
  Tags expected = only(tags_of(in), kEveryGroup);
  ASSERT_EQ(expected.at("IFD0:Orientation"), "6");
  expected["IFD0:Orientation"] = "1";
  expected["ExifIFD:ExifImageWidth"] = "480";
  expected["ExifIFD:ExifImageHeight"] = "512";
  filter({in.string(), (folder / "out.jpg").string(), "--procs", "2"});
  EXPECT_EQ(only(tags_of(folder / "out.jpg"), kEveryGroup), expected);
  EXPECT_EQ(shell("exiftool -s3 -ImageWidth " + quoted(folder / "out.jpg")), "480\n");
}

TEST(MetadataCli, PngAndTiffKeepTheirTagsAndProfile) {
  testing::TemporaryFolder folder;
  for (const auto& [name, format, groups] :
       {std::tuple{"in.png", "PNG", "IFD0|ExifIFD|XMP-.*|ICC.*|PNG-pHYs"},
        std::tuple{"in.tif", "TIFF", "XMP-.*|IPTC|ICC.*"}}) {
    const fs::path in = tagged_photo(folder, name, format);
    const fs::path out = folder / ("out" + in.extension().string());
    const Tags expected = only(tags_of(in), groups);
    ASSERT_GT(expected.size(), 20u) << name;
    filter({in.string(), out.string(), "--threads", "2"});
    EXPECT_EQ(only(tags_of(out), groups), expected) << name;
    EXPECT_EQ(icc_of(out), icc_of(in)) << name;
  }
  EXPECT_EQ(shell("exiftool -s3 -XResolution -ResolutionUnit " + quoted(folder / "out.tif")),
            "300\ninches\n");
}

TEST(MetadataCli, ConvertedFormatsKeepWhatTheTargetHolds) {
  testing::TemporaryFolder folder;
  const fs::path jpeg = tagged_photo(folder, "in.jpg", "JPEG");
  const fs::path png = tagged_photo(folder, "in.png", "PNG");
  const Tags from_jpeg = tags_of(jpeg), from_png = tags_of(png);
  filter({jpeg.string(), (folder / "a.png").string()});
  filter({jpeg.string(), (folder / "a.tif").string()});
  filter({png.string(), (folder / "b.jpg").string()});
  EXPECT_EQ(only(tags_of(folder / "a.png"), "IFD0|ExifIFD|XMP-.*|ICC.*"),
            only(from_jpeg, "IFD0|ExifIFD|XMP-.*|ICC.*"));
  EXPECT_EQ(only(tags_of(folder / "a.tif"), "XMP-.*|IPTC|ICC.*"),
            only(from_jpeg, "XMP-.*|IPTC|ICC.*"));
  EXPECT_EQ(only(tags_of(folder / "b.jpg"), "IFD0|ExifIFD|XMP-.*|ICC.*"),
            only(from_png, "IFD0|ExifIFD|XMP-.*|ICC.*"));
  for (const char* out : {"a.png", "a.tif", "b.jpg"}) EXPECT_EQ(icc_of(folder / out), icc_of(jpeg));
}

constexpr const char* kWebpGroups = "IFD0|ExifIFD|XMP-.*|ICC.*";

TEST(MetadataCli, AWebpKeepsEveryTagAndItsProfileAsWebpJpegAndPng) {
  testing::TemporaryFolder folder;
  const fs::path in = tagged_photo(folder, "in.webp", "WEBP");
  const Tags expected = only(tags_of(in), kWebpGroups);
  ASSERT_GT(expected.size(), 20u);
  ASSERT_EQ(expected.at("XMP-dc:Creator"), "Jane");
  for (const char* name : {"out.webp", "out.jpg", "out.png"}) {
    filter({in.string(), (folder / name).string(), "--procs", "2"});
    EXPECT_EQ(only(tags_of(folder / name), kWebpGroups), expected) << name;
    EXPECT_EQ(icc_of(folder / name), icc_of(in)) << name;
  }
}

TEST(MetadataCli, AJpegKeepsItsTagsAndProfileAsWebpAndKeepNoneLeavesNoChunk) {
  testing::TemporaryFolder folder;
  const fs::path in = tagged_photo(folder, "in.jpg", "JPEG");
  filter({in.string(), (folder / "all.webp").string()});
  EXPECT_EQ(only(tags_of(folder / "all.webp"), kWebpGroups), only(tags_of(in), kWebpGroups));
  EXPECT_EQ(icc_of(folder / "all.webp"), icc_of(in));
  filter({(folder / "all.webp").string(), (folder / "none.webp").string(), "--keep", "none"});
  EXPECT_EQ(only(tags_of(folder / "none.webp"), kWebpGroups), Tags{});
  const std::string bytes = shell("cat " + quoted(folder / "none.webp"));
  EXPECT_EQ(bytes.substr(12, 4), "VP8 ");  // the simple format: no chunk but the image's
  for (const char* chunk : {"VP8X", "ICCP", "EXIF", "XMP "})
    EXPECT_EQ(bytes.find(chunk), std::string::npos) << chunk;
}

TEST(MetadataCli, KeepNoneLeavesNoneAndAListKeepsOnlyWhatItNames) {
  testing::TemporaryFolder folder;
  const fs::path in = tagged_photo(folder, "in.jpg", "JPEG");
  filter({in.string(), (folder / "none.jpg").string(), "--keep", "none"});
  filter({in.string(), (folder / "icc.jpg").string(), "--keep", "icc,iptc", "--seq"});
  EXPECT_EQ(only(tags_of(folder / "none.jpg"), kEveryGroup), Tags{});
  EXPECT_EQ(only(tags_of(folder / "icc.jpg"), kEveryGroup), only(tags_of(in), "IPTC|ICC.*"));
  const testing::CommandResult bad =
      testing::run_pblur({in.string(), (folder / "x.jpg").string(), "--keep", "exif,gps"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "pblur: error: --keep: expected all, none or a list of exif, icc, xmp, iptc, not "
            "'gps' (see pblur --help)\n");
  EXPECT_FALSE(fs::exists(folder / "x.jpg"));
}

TEST(MetadataCli, ACorruptExifBlockIsDroppedWithAWarningAndTheImageWritten) {
  testing::TemporaryFolder folder;
  const fs::path in = tagged_photo(folder, "in.jpg", "JPEG");
  std::string bytes = shell("cat " + quoted(in));
  const std::size_t exif = bytes.find(std::string("Exif\0\0MM", 8));
  ASSERT_NE(exif, std::string::npos);
  bytes.replace(exif + 10, 4, "\x7f\xff\xff\xf0", 4);  // IFD0 far beyond the block
  std::ofstream(folder / "bad.jpg", std::ios::binary) << bytes;
  for (const char* backend : {"--seq", "--threads=2"}) {
    const testing::CommandResult result =
        testing::run_pblur({(folder / "bad.jpg").string(), (folder / "out.jpg").string(), backend});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.err, "pblur: warning: '" + (folder / "bad.jpg").string() +
                              "': its EXIF block is corrupt (the EXIF block points outside "
                              "itself); the output is written without it\n");
    EXPECT_EQ(only(tags_of(folder / "out.jpg"), "IFD0|ExifIFD"), Tags{});
    EXPECT_EQ(only(tags_of(folder / "out.jpg"), "XMP-.*|IPTC|ICC.*"),
              only(tags_of(in), "XMP-.*|IPTC|ICC.*"));
  }
}

TEST(MetadataCli, ACorruptExifBlockInABatchWorkerIsReportedAsAWarning) {
  testing::TemporaryFolder folder;
  fs::create_directory(folder / "in");
  std::string bytes = shell("cat " + quoted(tagged_photo(folder, "in.jpg", "JPEG")));
  const std::size_t exif = bytes.find(std::string("Exif\0\0MM", 8));
  ASSERT_NE(exif, std::string::npos);
  bytes.replace(exif + 10, 4, "\x7f\xff\xff\xf0", 4);  // IFD0 far beyond the block
  std::ofstream(folder / "in/bad.jpg", std::ios::binary) << bytes;
  const std::string warning = "pblur: warning: '" + (folder / "in/bad.jpg").string() +
                              "': its EXIF block is corrupt (the EXIF block points outside "
                              "itself); the output is written without it\n";
  for (const char* split : {"images", "strips"}) {
    const testing::CommandResult result =
        testing::run_pblur({"batch", (folder / "in").string(), (folder / split).string(), "--split",
                            split, "--procs", "2"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.err, ::testing::HasSubstr(warning)) << split;
    EXPECT_TRUE(fs::exists(folder / split / "bad.jpg")) << split;
  }
}

TEST(MetadataCli, AQ80JpegComesOutAtQ80AboutTheSizeVipsWrites) {
  testing::TemporaryFolder folder;
  const fs::path in = tagged_photo(folder, "in.jpg", "JPEG");
  filter({in.string(), (folder / "out.jpg").string(), "--sigma", "2"});
  filter({in.string(), (folder / "q95.jpg").string(), "--quality", "95"});
  EXPECT_EQ(shell("identify -format %Q " + quoted(folder / "out.jpg")), "80");
  EXPECT_EQ(shell("identify -format %Q " + quoted(folder / "q95.jpg")), "95");
  // vips's kernel stops where it falls under min-ampl (0.2 by default); OpenCV's reaches
  // about 3 sigma, which min-ampl 0.005 matches.
  shell("vips gaussblur " + quoted(in) + " '" + (folder / "vips.jpg").string() +
        "[Q=80,strip]' 2 --min-ampl 0.005");
  shell("exiftool -q -q -overwrite_original -all= " + quoted(folder / "out.jpg"));
  const double ours = double(fs::file_size(folder / "out.jpg"));
  const double vips = double(fs::file_size(folder / "vips.jpg"));
  EXPECT_NEAR(ours / vips, 1.0, 0.03) << ours << " bytes against vips's " << vips;
}

TEST(MetadataCli, BatchKeepsMetadataInBothSplitsAndKeepNoneStripsIt) {
  testing::TemporaryFolder folder;
  fs::create_directory(folder / "in");
  const fs::path in = tagged_photo(folder, "in/a.jpg", "JPEG", 6);
  tagged_photo(folder, "in/b.png", "PNG");
  Tags expected = only(tags_of(in), kEveryGroup);
  expected["IFD0:Orientation"] = "1";
  expected["ExifIFD:ExifImageWidth"] = "480";
  expected["ExifIFD:ExifImageHeight"] = "512";
  for (const char* split : {"images", "strips"}) {
    const fs::path out = folder / split;
    fs::create_directory(out);
    const testing::CommandResult result = testing::run_pblur(
        {"batch", (folder / "in").string(), out.string(), "--split", split, "--procs", "2", "-q"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(only(tags_of(out / "a.jpg"), kEveryGroup), expected) << split;
    EXPECT_EQ(icc_of(out / "b.png"), icc_of(in)) << split;
  }
  fs::create_directory(folder / "none");
  const testing::CommandResult none = testing::run_pblur(
      {"batch", (folder / "in").string(), (folder / "none").string(), "--keep", "none", "-q"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(only(tags_of(folder / "none/a.jpg"), kEveryGroup), Tags{});
  EXPECT_EQ(only(tags_of(folder / "none/b.png"), kEveryGroup), Tags{});
}

}  // namespace
}  // namespace pblur
