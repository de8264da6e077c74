// The core library keeps at least one translation unit so that it is a real static library
// that the outer layers link against; the link graph is what enforces the layering.
#include "core/result.hpp"

namespace hotel::core {
static_assert(sizeof(Result<int, int>) >= sizeof(int));
}  // namespace hotel::core
