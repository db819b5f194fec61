#pragma once

#include "core/ipc/process_runtime.h"

// The test program's ProcessRuntime, made first thing in main().
pblur::ProcessRuntime& bench_test_runtime();
