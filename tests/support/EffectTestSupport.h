// Helpers shared by the effect tests: run signals through an effect block by block, make
// band-limited test noise, estimate a sine's frequency, and the random-parameter click test.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/Effect.h"
#include "core/dsp/EffectInfo.h"

namespace liverack::test {

using core::AudioBuffer;
using core::Effect;
using core::EffectInfo;

using Signal = std::vector<std::vector<float>>;  // channels × frames

// One row of an effect's parameter table in DESIGN.md.
struct ExpectedParameter {
    const char* id;
    float min, max, def;
};

// The effect's parameters, in order, with exactly the ids, ranges and defaults of the design.
template <size_t N>
void expectParameters(const EffectInfo& info, const ExpectedParameter (&expected)[N]) {
    ASSERT_EQ(info.parameters.size(), N) << info.typeId;
    for (size_t i = 0; i < N; ++i) {
        EXPECT_EQ(info.parameters[i].id, expected[i].id);
        EXPECT_EQ(info.parameters[i].minValue, expected[i].min) << expected[i].id;
        EXPECT_EQ(info.parameters[i].maxValue, expected[i].max) << expected[i].id;
        EXPECT_EQ(info.parameters[i].defaultValue, expected[i].def) << expected[i].id;
    }
}

// Runs `input` through the effect in blocks of `blockFrames` (the last one may be shorter).
inline Signal processInBlocks(Effect& effect, const Signal& input, uint32_t blockFrames) {
    const auto channels = static_cast<uint32_t>(input.size());
    const size_t frames = input.empty() ? 0 : input[0].size();
    Signal output(channels, std::vector<float>(frames, 0.0f));
    AudioBuffer buffer(channels, blockFrames);
    for (size_t start = 0; start < frames; start += blockFrames) {
        const auto n = static_cast<uint32_t>(std::min<size_t>(blockFrames, frames - start));
        for (uint32_t c = 0; c < channels; ++c) {
            std::copy_n(input[c].begin() + start, n, buffer.channel(c));
        }
        effect.process(buffer.block(n));
        for (uint32_t c = 0; c < channels; ++c) {
            std::copy_n(buffer.channel(c), n, output[c].begin() + start);
        }
    }
    return output;
}

inline Signal sine(uint32_t channels, size_t frames, double hz, double rate, float amplitude) {
    Signal s(channels, std::vector<float>(frames));
    for (size_t i = 0; i < frames; ++i) {
        const auto v =
            static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * hz * i / rate));
        for (auto& ch : s) {
            ch[i] = v;
        }
    }
    return s;
}

// Noise strictly band-limited to maxHz: a sum of sinusoids with random frequencies below maxHz
// and random phases, scaled to the given peak. For such a signal Bernstein's inequality bounds
// every sample step: |x[n] − x[n−1]| ≤ 2π·maxHz/rate · peak, which the click tests build on.
inline std::vector<float> bandLimitedNoise(size_t frames, double rate, double maxHz, float peak,
                                           uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> freq(20.0, maxHz);
    std::uniform_real_distribution<double> phase(0.0, 2.0 * std::numbers::pi);
    constexpr int kPartials = 48;
    std::vector<double> f(kPartials), p(kPartials);
    for (int k = 0; k < kPartials; ++k) {
        f[k] = 2.0 * std::numbers::pi * freq(rng) / rate;
        p[k] = phase(rng);
    }
    std::vector<double> x(frames, 0.0);
    for (int k = 0; k < kPartials; ++k) {
        // Rotating phasor instead of sin() per sample: same result, much faster.
        double re = std::cos(p[k]), im = std::sin(p[k]);
        const double cr = std::cos(f[k]), ci = std::sin(f[k]);
        for (size_t i = 0; i < frames; ++i) {
            x[i] += im;
            const double nr = re * cr - im * ci;
            im = re * ci + im * cr;
            re = nr;
        }
    }
    double maxAbs = 0.0;
    for (double v : x) {
        maxAbs = std::max(maxAbs, std::abs(v));
    }
    std::vector<float> out(frames);
    for (size_t i = 0; i < frames; ++i) {
        out[i] = static_cast<float>(x[i] / maxAbs * peak);
    }
    return out;
}

// Frequency of a steady sine from its rising zero crossings (linearly interpolated), by a
// least-squares line through crossing time against crossing number: precise to a few
// thousandths of a hertz over a second of signal.
inline double zeroCrossingFrequency(const std::vector<float>& x, size_t begin, size_t end,
                                    double rate) {
    std::vector<double> times;
    for (size_t i = std::max<size_t>(begin, 1); i < end; ++i) {
        if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
            const double frac = x[i - 1] / (x[i - 1] - x[i]);
            times.push_back(static_cast<double>(i - 1) + frac);
        }
    }
    const auto n = static_cast<double>(times.size());
    if (n < 3) {
        return 0.0;
    }
    double sk = 0, st = 0, skk = 0, skt = 0;
    for (size_t k = 0; k < times.size(); ++k) {
        sk += k;
        st += times[k];
        skk += static_cast<double>(k) * k;
        skt += k * times[k];
    }
    const double period = (n * skt - sk * st) / (n * skk - sk * sk);
    return rate / period;
}

struct ClickReport {
    bool finite = true;
    double worstExcess = 0.0;  // largest |Δy| − allowed, over all samples (≤ 0 passes)
    size_t worstIndex = 0;
};

// The click test: 10 s (by default) of band-limited noise, every parameter set to a random
// value (from its full range) before every block. Each output step must stay within
//   |y[n] − y[n−1]| ≤ stepFactor · 2π·kNoiseMaxHz/rate · (peak |y| within ±window) + floor.
// For a band-limited signal that is Bernstein's bound times stepFactor, which each effect's
// test sets from how far the effect can stretch the signal's bandwidth (read-head speed, pitch
// ratio, modulation). A click — a discontinuity — breaks it by a wide margin.
constexpr double kNoiseMaxHz = 1000.0;
inline ClickReport randomParameterClickTest(Effect& effect, double rate, uint32_t blockFrames,
                                            double stepFactor, float floor, double seconds = 10.0,
                                            uint32_t seed = 1) {
    const auto frames = static_cast<size_t>(seconds * rate);
    Signal input = {bandLimitedNoise(frames, rate, kNoiseMaxHz, 0.5f, seed),
                    bandLimitedNoise(frames, rate, kNoiseMaxHz, 0.5f, seed + 1)};
    // The noise starts with a 50 ms raised-cosine fade-in: switching it on abruptly would be a
    // step in the input itself, which delays would faithfully repeat.
    const auto fade = static_cast<size_t>(0.05 * rate);
    for (auto& ch : input) {
        for (size_t i = 0; i < fade; ++i) {
            ch[i] *= static_cast<float>(0.5 - 0.5 * std::cos(std::numbers::pi * i / fade));
        }
    }
    std::mt19937 rng(seed + 2);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    auto& params = effect.parameters();
    Signal output(2, std::vector<float>(frames, 0.0f));
    AudioBuffer buffer(2, blockFrames);
    for (size_t start = 0; start < frames; start += blockFrames) {
        for (size_t p = 0; p < params.size(); ++p) {
            params.set(p, params.info(p).fromNormalised(unit(rng)));
        }
        const auto n = static_cast<uint32_t>(std::min<size_t>(blockFrames, frames - start));
        for (uint32_t c = 0; c < 2; ++c) {
            std::copy_n(input[c].begin() + start, n, buffer.channel(c));
        }
        effect.process(buffer.block(n));
        for (uint32_t c = 0; c < 2; ++c) {
            std::copy_n(buffer.channel(c), n, output[c].begin() + start);
        }
    }
    ClickReport report;
    report.worstExcess = -1e30;
    const double bernstein = 2.0 * std::numbers::pi * kNoiseMaxHz / rate;
    const auto window = static_cast<size_t>(0.005 * rate);
    for (const auto& y : output) {
        for (float v : y) {
            if (!std::isfinite(v)) {
                report.finite = false;
                return report;
            }
        }
        // Peak within ±window: a sliding maximum, computed in two sweeps of blocks.
        std::vector<float> localPeak(frames, 0.0f);
        for (size_t i = 0; i < frames; ++i) {
            const size_t a = i > window ? i - window : 0;
            const size_t b = std::min(frames, i + window + 1);
            if (i == 0 || a == 0 || std::abs(y[a - 1]) >= localPeak[i - 1]) {
                float m = 0.0f;
                for (size_t k = a; k < b; ++k) {
                    m = std::max(m, std::abs(y[k]));
                }
                localPeak[i] = m;
            } else {
                localPeak[i] = std::max(localPeak[i - 1], std::abs(y[b - 1]));
            }
        }
        for (size_t i = 1; i < frames; ++i) {
            const double allowed = stepFactor * bernstein * localPeak[i] + floor;
            const double excess = std::abs(y[i] - y[i - 1]) - allowed;
            if (excess > report.worstExcess) {
                report.worstExcess = excess;
                report.worstIndex = i;
            }
        }
    }
    return report;
}

// For effects whose output is a varying gain times the input, y[n] = G[n] x[n] (compressor,
// gate): a click is a step in y that neither the input nor the gain's allowed speed explains.
// Runs `blocks` stereo blocks through the effect. Before each, `nextBlock(b, buffer)` may change
// parameters, fills both channels and returns the largest gain step |G[n] - G[n-1]| the effect
// may take in that block; every sample must then satisfy
//   |y[n] - y[n-1]| <= maxGain |x[n] - x[n-1]| + |x[n-1]| maxGainStep + tolerance
// and be finite.
template <typename NextBlock>
void expectGainMovesNoFasterThanAllowed(Effect& effect, uint32_t blockFrames, int blocks,
                                        double maxGain, double tolerance, NextBlock nextBlock) {
    AudioBuffer buffer(2, blockFrames);
    std::vector<float> in(blockFrames);
    float previousIn = 0.0f;
    float previousOut = 0.0f;
    for (int b = 0; b < blocks; ++b) {
        const double maxGainStep = nextBlock(b, buffer);
        std::copy_n(buffer.channel(0), blockFrames, in.begin());
        effect.process(buffer.block());
        for (uint32_t i = 0; i < blockFrames; ++i) {
            const float out = buffer.channel(0)[i];
            ASSERT_TRUE(std::isfinite(out) && std::isfinite(buffer.channel(1)[i]));
            const double allowed = maxGain * std::abs(in[i] - previousIn) +
                                   std::abs(previousIn) * maxGainStep + tolerance;
            ASSERT_LE(std::abs(out - previousOut), allowed) << "block " << b << " sample " << i;
            previousIn = in[i];
            previousOut = out;
        }
    }
}

}  // namespace liverack::test
