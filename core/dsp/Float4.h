// Four floats in one SSE (or NEON) register, through the GCC/Clang vector extension, with
// unaligned loads and stores. For the few inner loops GCC does not vectorise by itself (the
// oversampler's symmetric pair sums, the distortion's shaping curves); plain loops elsewhere.
#pragma once

#include <cstring>

namespace liverack::core {

using Float4 = float __attribute__((vector_size(16)));

inline Float4 loadFloat4(const float* p) noexcept {
    Float4 v;
    std::memcpy(&v, p, sizeof v);  // compiles to one unaligned load
    return v;
}

inline void storeFloat4(float* p, Float4 v) noexcept {
    std::memcpy(p, &v, sizeof v);
}

}  // namespace liverack::core
