#include "core/ipc/process_runtime.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <stdexcept>
#include <thread>

#include "core/os/machine_info.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;

TEST(ThreadCount, CountsAThreadWhileItRuns) {
  const int before = thread_count();
  ASSERT_GE(before, 1);
  std::latch started(1), finish(1);
  std::thread other([&] {
    started.count_down();
    finish.wait();
  });
  started.wait();
  EXPECT_EQ(thread_count(), before + 1);
  finish.count_down();
  other.join();
}

TEST(ProcessRuntime, RefusesToStartOnceAnotherThreadExists) {
  std::latch started(1), finish(1);
  std::thread other([&] {
    started.count_down();
    finish.wait();
  });
  started.wait();
  try {
    ProcessRuntime runtime(std::size_t{64} << 20);
    ADD_FAILURE() << "a runtime was made beside another thread";
  } catch (const std::logic_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("the process runtime must be made before any other "
                                        "thread starts, but this process has "));
  }
  finish.count_down();
  other.join();
}

}  // namespace
}  // namespace pblur
