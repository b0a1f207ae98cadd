// Feedback loops and slow one-poles decay into the subnormal range after the input stops, where
// float arithmetic is many times slower; values this small are far below audibility, so the
// effects set them to zero instead.
#pragma once

#include <cmath>

namespace liverack::core {

inline float flushDenormal(float x) noexcept {
    return std::abs(x) < 1e-20f ? 0.0f : x;
}

}  // namespace liverack::core
