#pragma once
// What a fuzz target asserts beyond "no sanitizer report": a property that must hold for every
// input. A broken property aborts, and libFuzzer keeps the input as a crash.

#include <cstdio>
#include <cstdlib>

#define FUZZ_REQUIRE(cond)                                                                    \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                     \
        }                                                                                     \
    } while (0)
