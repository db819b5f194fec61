#pragma once

// Marks a loop-heavy function to be compiled twice, for AVX2 and for the baseline, the one the
// processor takes chosen when the program loads. AVX2 alone, without FMA: fused multiply-adds
// would round differently from Pillow's separate ones.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define PBLUR_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PBLUR_VECTOR_CLONES
#endif
