#include <gtest/gtest.h>

#include "test_support.h"

int main(int argc, char** argv) {
  pblur::ProcessRuntime runtime(std::size_t{16} << 30);
  pblur::testing::set_runtime(&runtime);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
