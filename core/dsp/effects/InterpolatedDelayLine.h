// A circular delay line read at fractional positions with 4-point (third-order Lagrange)
// interpolation; shared by the delay and the chorus. Storage is sized once in prepare().
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/dsp/effects/Denormals.h"

namespace liverack::core {

class InterpolatedDelayLine {
public:
    // Room for delays up to maxDelaySamples (plus the interpolator's neighbours). May allocate.
    void prepare(uint32_t maxDelaySamples) {
        // A power-of-two size turns the wrap into a mask on the audio thread.
        uint32_t size = 4;
        while (size < maxDelaySamples + 4) {
            size <<= 1;
        }
        buffer_.assign(size, 0.0f);
        mask_ = size - 1;
        writeIndex_ = 0;
        maxDelay_ = static_cast<float>(maxDelaySamples);
    }

    void reset() noexcept {
        std::fill(buffer_.begin(), buffer_.end(), 0.0f);
        writeIndex_ = 0;
    }

    // Tiny values are stored as zero: with feedback, a line would otherwise recirculate
    // subnormal numbers for minutes after the input stops.
    void push(float sample) noexcept {
        buffer_[writeIndex_] = flushDenormal(sample);
        writeIndex_ = (writeIndex_ + 1) & mask_;
    }

    // The signal `delay` samples before the most recent push (0 would be that sample itself).
    // Clamped to [1, maxDelaySamples] so the interpolator always has a newer neighbour.
    float read(float delay) const noexcept {
        delay = std::fmin(std::fmax(delay, 1.0f), maxDelay_);
        const float whole = std::floor(delay);
        const float t = delay - whole;
        const uint32_t base = (writeIndex_ - 1u - static_cast<uint32_t>(whole)) & mask_;
        // Neighbours at delays whole-1, whole, whole+1, whole+2; the newest is at index base+1.
        const float xm1 = buffer_[(base + 1) & mask_];
        const float x0 = buffer_[base];
        const float x1 = buffer_[(base - 1) & mask_];
        const float x2 = buffer_[(base - 2) & mask_];
        // Lagrange weights for nodes at -1, 0, 1, 2 evaluated at t: exact at integer delays.
        const float c0 = -t * (t - 1.0f) * (t - 2.0f) / 6.0f;
        const float c1 = (t + 1.0f) * (t - 1.0f) * (t - 2.0f) / 2.0f;
        const float c2 = -(t + 1.0f) * t * (t - 2.0f) / 2.0f;
        const float c3 = (t + 1.0f) * t * (t - 1.0f) / 6.0f;
        return c0 * xm1 + c1 * x0 + c2 * x1 + c3 * x2;
    }

private:
    std::vector<float> buffer_;
    uint32_t mask_ = 0;
    uint32_t writeIndex_ = 0;
    float maxDelay_ = 1.0f;
};

}  // namespace liverack::core
