// Hostile inputs end to end: tiny files whose headers claim gigapixels, and inputs that never
// end. Each is refused from its header (or at a bound) before pixel memory is committed.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "crafted_files.h"
#include "process_helpers.h"
#include "test_support.h"

extern char** environ;

namespace pblur {
namespace {

constexpr int kBadInput = 3;
// pblur's own code, OpenCV, oneTBB and the worker pool, with room to spare: far below what any
// of these headers claims (gigabytes). Linux counts the test program's own resident memory at
// the spawn in the child's peak too, which this bound leaves room for.
constexpr long kMostResidentKib = 200 * 1024;

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A regular file's bytes; "" for anything else (a device may never end).
std::string read_bytes(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) return "";
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

std::vector<std::string> pblur_entries_in_dev_shm() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm")) {
    const std::string name = entry.path().filename().string();
    if (name.find("pblur") != std::string::npos) names.push_back(name);
  }
  return names;
}

// Runs pblur on `input` and expects exit 3 with exactly `message`, small peak memory, the input
// untouched, and nothing left in the output folder or /dev/shm.
void expect_refused(const std::filesystem::path& input, const std::string& message,
                    std::vector<std::string> options = {}) {
  testing::TemporaryFolder out;
  const std::string before = read_bytes(input);
  std::vector<std::string> arguments = {input.string(), (out / "out.png").string()};
  arguments.insert(arguments.end(), options.begin(), options.end());
  const auto result = testing::run_pblur(arguments);
  EXPECT_EQ(result.exit_code, kBadInput);
  EXPECT_EQ(result.err, "pblur: error: cannot read '" + input.string() + "': " + message + "\n");
  EXPECT_LT(result.peak_rss_kib, kMostResidentKib);
  EXPECT_EQ(read_bytes(input), before);
  EXPECT_TRUE(out.entries().empty());
  EXPECT_TRUE(pblur_entries_in_dev_shm().empty());
}

// `limit`: the default --max-pixels of the path that runs, streamed or whole-image.
std::string too_many(const std::string& size, const std::string& pixels,
                     const std::string& limit = "268435456") {
  return "the image is " + size + " = " + pixels + " pixels, more than --max-pixels " + limit;
}

struct HostileFile {
  const char* name;
  std::string bytes;
  const char* size;  // as the header claims it
  const char* pixels;
  bool streams = false;  // a format pblur streams: the default run is guarded at 4294967296
};

std::filesystem::path crafted(const testing::TemporaryFolder& folder, const std::string& name,
                              const std::string& bytes) {
  write_bytes(folder / name, bytes);
  return folder / name;
}

// Each costs pblur nothing more than its bytes, at the default budget and under --seq alike.
class HostileHeader : public ::testing::TestWithParam<HostileFile> {};

TEST_P(HostileHeader, IsRefusedFromItsHeaderAlone) {
  const HostileFile& file = GetParam();
  const testing::TemporaryFolder folder;
  const auto path = crafted(folder, file.name, file.bytes);
  expect_refused(path, too_many(file.size, file.pixels, file.streams ? "4294967296" : "268435456"));
  expect_refused(path, too_many(file.size, file.pixels), {"--seq"});
}

INSTANTIATE_TEST_SUITE_P(
    Formats, HostileHeader,
    ::testing::Values(
        HostileFile{"pam175bytes.pam", testing::pam_header(65536, 32768), "65536x32768",
                    "2147483648"},
        HostileFile{"radiance.hdr", testing::hdr_header(32768, 32768), "32768x32768", "1073741824"},
        HostileFile{"floats.pfm", testing::pfm_header(32768, 32768), "32768x32768", "1073741824"},
        HostileFile{"sun.ras", testing::sun_raster_header(30000, 30000), "30000x30000",
                    "900000000"},
        HostileFile{"big.tif", testing::bigtiff_header(100000, 100000), "100000x100000",
                    "10000000000", true},
        // libtiff, the decoder's library, takes the first of two widths.
        HostileFile{"width_twice.tif", testing::tiff_with_two_widths(100000, 1, 100000),
                    "100000x100000", "10000000000", true},
        HostileFile{"bytes_before_sof.jpg", testing::jpeg_with_bytes_before_sof(65000, 65000),
                    "65000x65000", "4225000000"},
        HostileFile{"window.exr", testing::exr_header(100000, 100000), "100000x100000",
                    "10000000000"},
        HostileFile{"boxes.jp2", testing::jpeg2000_header(100000, 100000, 3), "100000x100000",
                    "10000000000"}),
    [](const ::testing::TestParamInfo<HostileFile>& test) {
      std::string name = test.param.name;
      std::replace(name.begin(), name.end(), '.', '_');
      return name;
    });

TEST(HostileHeaders, PamIsAt175BytesOrFewer) {
  EXPECT_LE(testing::pam_header(65536, 32768).size(), 175u);
}

TEST(HostileHeaders, ThousandsOfChannelsWithinThePixelBudget) {
  const testing::TemporaryFolder folder;
  const std::string reason = "pblur filters gray, RGB and RGBA images; this one has ";
  expect_refused(crafted(folder, "deep.pam", testing::pam_header(4096, 4096, 4096)),
                 reason + "4096 channels");
  expect_refused(crafted(folder, "deep.jp2", testing::jpeg2000_header(4096, 4096, 16384)),
                 reason + "16384 channels");
}

TEST(HostileHeaders, TheBudgetIsTheOneGiven) {
  const testing::TemporaryFolder folder;
  expect_refused(crafted(folder, "small.pam", testing::pam_header(100, 100)),
                 "the image is 100x100 = 10000 pixels, more than --max-pixels 1000",
                 {"--max-pixels", "1000"});
}

TEST(EndlessInput, DevZeroIsRefusedFromItsFirstBytes) {
  expect_refused("/dev/zero", "not an image pblur can read");
}

TEST(EndlessInput, AStreamStopsAtWhatItsHeaderCouldTake) {
  testing::TemporaryFolder folder;
  const auto fifo = folder / "endless.pgm";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // A writer that sends a 1 x 1 PGM header and then zeros until the reader goes away.
  const std::string script =
      "exec > '" + fifo.string() + "' && printf 'P5 1 1 255\\n' && exec cat /dev/zero";
  std::vector<std::string> words = {"/bin/sh", "-c", script};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t writer = -1;
  ASSERT_EQ(posix_spawn(&writer, "/bin/sh", nullptr, nullptr, argv.data(), environ), 0);
  testing::TemporaryFolder out;
  const auto result = testing::run_pblur({fifo.string(), (out / "out.png").string()});
  kill(writer, SIGKILL);
  waitpid(writer, nullptr, 0);
  EXPECT_EQ(result.exit_code, kBadInput);
  EXPECT_EQ(result.err, "pblur: error: cannot read '" + fifo.string() +
                            "': the file is longer than an image of 1x1 pixels can be (67108896 "
                            "bytes at most)\n");
  EXPECT_TRUE(out.entries().empty());
}

TEST(EndlessInput, AFileLongerThanTheBudgetCouldTakeIsRefusedUnread) {
  testing::TemporaryFolder folder;
  const auto sparse = folder / "long.pgm";
  write_bytes(sparse, "P5 1 1 255\n");
  std::filesystem::resize_file(sparse, std::uintmax_t{100} << 20);  // sparse: no disk used
  testing::TemporaryFolder out;
  const auto result =
      testing::run_pblur({sparse.string(), (out / "out.png").string(), "--max-pixels", "1000"});
  EXPECT_EQ(result.exit_code, kBadInput);
  EXPECT_EQ(result.err, "pblur: error: cannot read '" + sparse.string() +
                            "': the file is longer than an image of at most 1000 pixels can be "
                            "(67140864 bytes at most)\n");
  EXPECT_LT(result.peak_rss_kib, kMostResidentKib);
  EXPECT_TRUE(out.entries().empty());
}

}  // namespace
}  // namespace pblur
