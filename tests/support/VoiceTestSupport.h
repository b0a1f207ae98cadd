// Helpers shared by the voice effect tests (denoise, agc, echo_cancel): a 300 Hz–3.4 kHz
// telephone band filter, the lag of the peak of a cross-correlation, and mono block processing
// with an optional reference signal.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/Effect.h"

namespace liverack::test {

// RBJ cookbook biquad (direct form I, double), written out here so the measurement does not
// rest on the project's own filters.
class TestBiquad {
public:
    static TestBiquad highpass(double hz, double rate) { return make(hz, rate, true); }
    static TestBiquad lowpass(double hz, double rate) { return make(hz, rate, false); }
    double run(double x) {
        const double y = b0_ * x + b1_ * x1_ + b2_ * x2_ - a1_ * y1_ - a2_ * y2_;
        x2_ = x1_;
        x1_ = x;
        y2_ = y1_;
        y1_ = y;
        return y;
    }

private:
    static TestBiquad make(double hz, double rate, bool high) {
        const double w = 2.0 * std::numbers::pi * hz / rate;
        const double q = 1.0 / std::numbers::sqrt2;  // Butterworth
        const double alpha = std::sin(w) / (2.0 * q);
        const double c = std::cos(w);
        TestBiquad f;
        const double a0 = 1.0 + alpha;
        f.b0_ = (high ? (1.0 + c) : (1.0 - c)) / 2.0 / a0;
        f.b1_ = (high ? -(1.0 + c) : (1.0 - c)) / a0;
        f.b2_ = f.b0_;
        f.a1_ = -2.0 * c / a0;
        f.a2_ = (1.0 - alpha) / a0;
        return f;
    }
    double b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0;
    double x1_ = 0, x2_ = 0, y1_ = 0, y2_ = 0;
};

// The telephone band, 300 Hz to 3.4 kHz: two Butterworth high-passes and two low-passes
// (24 dB per octave each side).
inline std::vector<float> telephoneBand(const std::vector<float>& x, double rate) {
    TestBiquad stages[] = {TestBiquad::highpass(300.0, rate), TestBiquad::highpass(300.0, rate),
                           TestBiquad::lowpass(3400.0, rate), TestBiquad::lowpass(3400.0, rate)};
    std::vector<float> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        double v = x[i];
        for (auto& s : stages) {
            v = s.run(v);
        }
        y[i] = static_cast<float>(v);
    }
    return y;
}

// The lag in [0, maxLag] at which sum x[n]·y[n + lag] peaks.
inline int64_t peakLag(const std::vector<float>& x, const std::vector<float>& y, int64_t maxLag) {
    int64_t best = 0;
    double bestValue = -1e300;
    const auto n = static_cast<int64_t>(std::min(x.size(), y.size()));
    for (int64_t lag = 0; lag <= maxLag; ++lag) {
        double sum = 0.0;
        for (int64_t i = 0; i + lag < n; ++i) {
            sum += static_cast<double>(x[i]) * y[i + lag];
        }
        if (sum > bestValue) {
            bestValue = sum;
            best = lag;
        }
    }
    return best;
}

// Runs a mono signal through the effect (prepared for `channels`; every channel gets the
// signal, channel 0 comes back), in blocks of `block`, handing `reference` (may be empty: no
// reference) over before each block.
inline std::vector<float> runVoice(core::Effect& effect, const std::vector<float>& input,
                                   uint32_t block, uint32_t channels = 1,
                                   const std::vector<float>* reference = nullptr) {
    core::AudioBuffer buffer(channels, block);
    core::AudioBuffer far(1, block);
    std::vector<float> out(input.size());
    for (size_t start = 0; start < input.size(); start += block) {
        const auto n = static_cast<uint32_t>(std::min<size_t>(block, input.size() - start));
        for (uint32_t c = 0; c < channels; ++c) {
            std::copy_n(input.begin() + start, n, buffer.channel(c));
        }
        if (reference != nullptr) {
            std::copy_n(reference->begin() + start, n, far.channel(0));
            effect.setReference(far.block(n));
        }
        effect.process(buffer.block(n));
        std::copy_n(buffer.channel(0), n, out.begin() + start);
    }
    return out;
}

}  // namespace liverack::test
