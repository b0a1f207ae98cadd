// Flushes denormals to zero for the scope (the audio callback): long reverb and filter tails
// would otherwise decay into denormals and cost up to 100x per sample on x86.
#pragma once

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace liverack::core {

class ScopedNoDenormals {
public:
    ScopedNoDenormals() noexcept {
#if defined(__SSE__) || defined(__x86_64__)
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | 0x8040);  // FTZ (bit 15) and DAZ (bit 6)
#endif
    }
    ~ScopedNoDenormals() {
#if defined(__SSE__) || defined(__x86_64__)
        _mm_setcsr(saved_);
#endif
    }
    ScopedNoDenormals(const ScopedNoDenormals&) = delete;
    ScopedNoDenormals& operator=(const ScopedNoDenormals&) = delete;

private:
    unsigned int saved_ = 0;
};

}  // namespace liverack::core
