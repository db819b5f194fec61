#include <gtest/gtest.h>

#include "test_support.h"

// The process runtime comes first, before GoogleTest or any test starts a thread: the fork
// server it starts must never inherit one.
int main(int argc, char** argv) {
  pblur::ProcessRuntime runtime(std::size_t{16} << 30);
  pblur::testing::set_runtime(&runtime);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
