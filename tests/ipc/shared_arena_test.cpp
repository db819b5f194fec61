// The shared arena commits what pblur has checked at once, and a decoder's buffer page by page
// as it is written: a header that claims gigabytes costs only what is written.
#include "core/ipc/shared_arena.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "core/backends/process_backend.h"
#include "core/base/errors.h"
#include "test_support.h"

namespace pblur {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

SharedArena& arena() {
  return testing::runtime().arena;
}

TEST(SharedArena, CommitsACheckedBlockAtOnce) {
  const std::size_t before = arena().committed_bytes();
  SharedBlock block(arena(), 8 * kMiB);
  EXPECT_EQ(arena().committed_bytes() - before, 8 * kMiB);
  block.reset();
  EXPECT_EQ(arena().committed_bytes(), before);
}

TEST(SharedArena, CommitsAnUncheckedBlockAsItIsWritten) {
  const std::size_t before = arena().committed_bytes();
  std::byte* block = arena().allocate(std::size_t{2} << 30, Commit::on_write);
  EXPECT_EQ(arena().committed_bytes(), before);
  std::memset(block, 1, 3 * 4096);
  std::memset(block + (std::size_t{1} << 30), 1, 4096);
  EXPECT_EQ(arena().committed_bytes() - before, 4 * 4096u);
  arena().release(block);
  EXPECT_EQ(arena().committed_bytes(), before);
}

TEST(SharedArena, DecodersGetPagesAsTheyWriteThem) {
  const std::size_t before = arena().committed_bytes();
  cv::Mat claimed;
  claimed.allocator = arena().decoder_allocator();
  claimed.create(30000, 30000, CV_8UC3);  // 2.5 GiB, as a hostile header might claim
  EXPECT_TRUE(arena().contains(claimed.data));
  EXPECT_EQ(arena().committed_bytes(), before);
  claimed.row(0).setTo(cv::Scalar::all(7));
  EXPECT_LT(arena().committed_bytes() - before, kMiB);
  claimed.release();
  EXPECT_EQ(arena().committed_bytes(), before);
}

TEST(SharedArena, TheProcessBackendDecodesIntoPagesCommittedOnWrite) {
  ProcessBackend backend(testing::runtime(), BackendChoice{});
  EXPECT_EQ(backend.image_allocator(), arena().decoder_allocator());
}

TEST(SharedArena, ABlockLargerThanTheReservationIsAnError) {
  SharedArena small(32 * kMiB);
  EXPECT_THROW(small.allocate(64 * kMiB), ProcessingError);
  cv::Mat image;
  EXPECT_THROW(small.place(image, cv::Size(8000, 8000), CV_8UC3), ProcessingError);
  EXPECT_TRUE(image.empty());
  small.place(image, cv::Size(1000, 1000), CV_8UC3);
  EXPECT_TRUE(small.contains(image.data));
}

// The arena says how much it lacks and why; the command line adds what the user can do.
TEST(SharedArena, AFullArenaSaysHowMuchItLacksAndWhetherTheAddressSpaceLimitCappedIt) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_AS, &limit), 0);
  const bool limited = limit.rlim_cur != RLIM_INFINITY;
  SharedArena small(32 * kMiB);
  try {
    small.allocate(64 * kMiB);
    ADD_FAILURE() << "64 MiB fitted in 32";
  } catch (const SharedMemoryShortage& error) {
    EXPECT_EQ(error.cause(), limited ? SharedMemoryShortage::Cause::full_under_limit
                                     : SharedMemoryShortage::Cause::full);
    EXPECT_EQ(std::string(error.what()),
              std::string("the workers' shared memory is full: 64 MiB more needed, 32 MiB "
                          "reserved") +
                  (limited ? " (ulimit -v caps it)" : ""));
  }
}

}  // namespace
}  // namespace pblur
