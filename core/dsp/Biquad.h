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
        // A decaying state in silence would sink into denormals, which cost up to 100x per
        // operation on x86; anything this small is far below the float output's resolution.
        if (std::abs(s1_) < kDenormalGuard && std::abs(s2_) < kDenormalGuard) {
            s1_ = s2_ = 0.0;
        }
    }

    // |H(e^jw)| of the current coefficients.
    double magnitude(double frequencyHz, double sampleRate) const noexcept {
        return c_.magnitude(frequencyHz, sampleRate);
    }

private:
    static constexpr double kDenormalGuard = 1e-30;
    BiquadCoefficients c_;
    double s1_ = 0.0;
    double s2_ = 0.0;
};

}  // namespace liverack::core
