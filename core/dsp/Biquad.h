// One second-order section in transposed direct form II with double-precision state: the
// building block of the EQ. Coefficients come from BiquadCoefficients (RBJ cookbook designs).
#pragma once

#include <cmath>
#include <cstdint>

#include "core/dsp/BiquadCoefficients.h"

namespace liverack::core {

class Biquad {
public:
    void setCoefficients(const BiquadCoefficients& coefficients) noexcept { c_ = coefficients; }
    const BiquadCoefficients& coefficients() const noexcept { return c_; }

    void reset() noexcept { s1_ = s2_ = 0.0; }

    double processSample(double x) noexcept {
        const double y = c_.b0 * x + s1_;
        s1_ = c_.b1 * x - c_.a1 * y + s2_;
        s2_ = c_.b2 * x - c_.a2 * y;
        return y;
    }

    void process(float* samples, uint32_t frames) noexcept {
        for (uint32_t i = 0; i < frames; ++i) {
            samples[i] = static_cast<float>(processSample(samples[i]));
        }
        flushDenormals();
    }

    // Two channels through their own sections in one loop: the same arithmetic as process() on
    // each, but the two recursions are independent, so the CPU overlaps them instead of waiting
    // on one chain of multiply-adds (the EQ's cost is that latency, not the arithmetic).
    static void processPair(Biquad& a, float* samplesA, Biquad& b, float* samplesB,
                            uint32_t frames) noexcept {
        // Locals: a and b might be one object as far as the compiler knows, which would force
        // every state update through memory.
        const BiquadCoefficients ca = a.c_;
        const BiquadCoefficients cb = b.c_;
        double a1 = a.s1_, a2 = a.s2_, b1 = b.s1_, b2 = b.s2_;
        for (uint32_t i = 0; i < frames; ++i) {
            const double xa = samplesA[i];
            const double xb = samplesB[i];
            const double ya = ca.b0 * xa + a1;
            const double yb = cb.b0 * xb + b1;
            a1 = ca.b1 * xa - ca.a1 * ya + a2;
            b1 = cb.b1 * xb - cb.a1 * yb + b2;
            a2 = ca.b2 * xa - ca.a2 * ya;
            b2 = cb.b2 * xb - cb.a2 * yb;
            samplesA[i] = static_cast<float>(ya);
            samplesB[i] = static_cast<float>(yb);
        }
        a.s1_ = a1;
        a.s2_ = a2;
        b.s1_ = b1;
        b.s2_ = b2;
        a.flushDenormals();
        b.flushDenormals();
    }

    // |H(e^jw)| of the current coefficients.
    double magnitude(double frequencyHz, double sampleRate) const noexcept {
        return c_.magnitude(frequencyHz, sampleRate);
    }

private:
    // A decaying state in silence would sink into denormals, which cost up to 100x per operation
    // on x86; anything this small is far below the float output's resolution.
    void flushDenormals() noexcept {
        if (std::abs(s1_) < kDenormalGuard && std::abs(s2_) < kDenormalGuard) {
            s1_ = s2_ = 0.0;
        }
    }

    static constexpr double kDenormalGuard = 1e-30;
    BiquadCoefficients c_;
    double s1_ = 0.0;
    double s2_ = 0.0;
};

}  // namespace liverack::core
