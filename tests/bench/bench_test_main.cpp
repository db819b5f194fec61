#include <memory>

#include <gtest/gtest.h>

#include "bench_test_runtime.h"

namespace {

std::unique_ptr<pblur::ProcessRuntime> runtime;

}  // namespace

pblur::ProcessRuntime& bench_test_runtime() {
  return *runtime;
}

int main(int argc, char** argv) {
  runtime = std::make_unique<pblur::ProcessRuntime>(std::size_t{4} << 30);
  testing::InitGoogleTest(&argc, argv);
  const int status = RUN_ALL_TESTS();
  runtime.reset();
  return status;
}
