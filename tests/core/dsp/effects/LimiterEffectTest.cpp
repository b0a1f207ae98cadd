// LimiterEffect: no output sample exceeds the ceiling, ever (a minute of loud noise with
// +20 dBFS bursts at each rate); the reported latency is the look-ahead and is the delay the
// audio really gets, and glides to a new look-ahead; a steady loud sine is turned down, not
// clipped; and random settings every block never click.
#include "core/dsp/effects/LimiterEffect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "tests/support/EffectTestSupport.h"
#include "tests/support/RandomParameters.h"

namespace liverack::core {
namespace {

constexpr double kPi = std::numbers::pi;

using RateAndBlock = std::tuple<double, uint32_t>;
class LimiterEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(LimiterEffectAt, NoSampleExceedsTheCeilingInAMinuteOfLoudNoiseWithBursts) {
    const auto [rate, block] = GetParam();
    struct Setting {
        float ceilingDb, releaseMs, lookaheadMs;
    };
    // The default, and the extremes: no look-ahead with a fast release, the longest look-ahead
    // with a slow one.
    const Setting settings[] = {
        {-1.0f, 50.0f, 5.0f}, {-12.0f, 1.0f, 0.0f}, {-0.1f, 1000.0f, 10.0f}};
    for (const Setting& s : settings) {
        LimiterEffect limiter;
        limiter.parameters().set(LimiterEffect::kCeilingDb, s.ceilingDb);
        limiter.parameters().set(LimiterEffect::kReleaseMs, s.releaseMs);
        limiter.parameters().set(LimiterEffect::kLookaheadMs, s.lookaheadMs);
        limiter.prepare({rate, block, 2});
        const float ceiling = LimiterEffect::ceilingGain(s.ceilingDb);

        std::mt19937 rng(static_cast<unsigned>(rate) + block);
        std::uniform_real_distribution<float> noise(-2.0f, 2.0f);  // up to +6 dBFS
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        AudioBuffer buffer(2, block);
        const auto total = static_cast<uint64_t>(60.0 * rate);
        uint64_t burstEnd = 0;
        uint64_t nextBurst = static_cast<uint64_t>(0.1 * rate);
        float burstGain = 1.0f;
        float worst = 0.0f;
        for (uint64_t done = 0; done < total; done += block) {
            for (uint32_t i = 0; i < block; ++i) {
                const uint64_t n = done + i;
                if (n == nextBurst) {  // +20 dBFS bursts of 0.02 to 30 ms, a few per second
                    burstEnd = n + 1 + static_cast<uint64_t>(unit(rng) * 0.03 * rate);
                    nextBurst = n + static_cast<uint64_t>((0.05 + 0.4 * unit(rng)) * rate);
                    burstGain = 5.0f;  // 2 * 5 = 10 = +20 dBFS
                }
                const float g = n < burstEnd ? burstGain : 1.0f;
                buffer.channel(0)[i] = g * noise(rng);
                // The right channel sometimes bursts alone: linking must not let it through.
                buffer.channel(1)[i] = (n < burstEnd && (nextBurst & 1U) ? 1.0f : g) * noise(rng);
            }
            limiter.process(buffer.block());
            for (uint32_t c = 0; c < 2; ++c) {
                for (uint32_t i = 0; i < block; ++i) {
                    worst = std::max(worst, std::abs(buffer.channel(c)[i]));
                }
            }
        }
        RecordProperty(
            "peak_below_ceiling_db_" + std::to_string(static_cast<int>(s.ceilingDb * 10)),
            std::to_string(20.0 * std::log10(worst / ceiling)));
        EXPECT_LE(worst, ceiling) << "ceiling " << s.ceilingDb << " dB, look-ahead "
                                  << s.lookaheadMs << " ms";
    }
}

TEST_P(LimiterEffectAt, ReportedLatencyEqualsLookaheadAndIsTheRealDelay) {
    const auto [rate, block] = GetParam();
    for (const float ms : {0.0f, 1.0f, 2.5f, 5.0f, 10.0f}) {
        LimiterEffect limiter;
        limiter.parameters().set(LimiterEffect::kLookaheadMs, ms);
        limiter.prepare({rate, block, 2});
        const auto expected = static_cast<uint32_t>(std::lround(ms * 1e-3 * rate));
        EXPECT_EQ(limiter.latencyFrames(), expected) << ms << " ms";

        // An impulse under the ceiling comes out unchanged, exactly `latency` frames later.
        const uint32_t length = expected + 2 * block + 1;
        std::vector<float> out;
        AudioBuffer buffer(2, block);
        for (uint32_t done = 0; done < length; done += block) {
            buffer.block().clear();
            if (done == 0) {
                buffer.channel(0)[0] = 0.5f;
                buffer.channel(1)[0] = -0.25f;
            }
            limiter.process(buffer.block());
            out.insert(out.end(), buffer.channel(0), buffer.channel(0) + block);
        }
        const auto peak = std::max_element(out.begin(), out.end());
        EXPECT_EQ(static_cast<uint32_t>(peak - out.begin()), expected) << ms << " ms";
        EXPECT_EQ(*peak, 0.5f) << ms << " ms";
    }
}

TEST_P(LimiterEffectAt, LookaheadChangeWhileRunningGlidesToTheNewLatency) {
    const auto [rate, block] = GetParam();
    LimiterEffect limiter;
    limiter.prepare({rate, block, 2});
    AudioBuffer buffer(2, block);
    buffer.block().clear();
    limiter.process(buffer.block());
    auto before = static_cast<uint32_t>(std::lround(5e-3 * rate));
    EXPECT_EQ(limiter.latencyFrames(), before);
    for (const float ms : {2.0f, 10.0f, 0.0f}) {
        limiter.parameters().set(LimiterEffect::kLookaheadMs, ms);
        const auto after = static_cast<uint32_t>(std::lround(ms * 1e-3 * rate));
        // One frame of change per two frames processed.
        const uint32_t glide = 2 * (after > before ? after - before : before - after);
        for (uint32_t done = 0; done < glide + block; done += block) {
            limiter.process(buffer.block());
        }
        EXPECT_EQ(limiter.latencyFrames(), after) << ms << " ms";
        before = after;
    }
}

TEST_P(LimiterEffectAt, SteadyLoudSineIsScaledDownNotClipped) {
    const auto [rate, block] = GetParam();
    LimiterEffect limiter;  // ceiling -1 dB, look-ahead 5 ms, release 50 ms
    limiter.prepare({rate, block, 2});
    const uint32_t latency = limiter.latencyFrames();
    const float ceiling = LimiterEffect::ceilingGain(-1.0f);
    constexpr double kAmplitude = 3.0;  // +9.5 dBFS
    const double increment = 2.0 * kPi * 1000.0 / rate;
    std::vector<float> in;
    std::vector<float> out;
    AudioBuffer buffer(2, block);
    const auto total = static_cast<size_t>(0.5 * rate);
    while (in.size() < total) {
        for (uint32_t i = 0; i < block; ++i) {
            const auto x = static_cast<float>(kAmplitude * std::sin(increment * in.size()));
            in.push_back(x);
            buffer.channel(0)[i] = x;
            buffer.channel(1)[i] = x;
        }
        limiter.process(buffer.block());
        out.insert(out.end(), buffer.channel(0), buffer.channel(0) + block);
    }
    // Once the gain has settled (the window holds many periods), the output is the input
    // scaled by ceiling / amplitude: a clipper would square the tops off instead.
    const double gain = ceiling / kAmplitude;
    double worst = 0.0;
    double peak = 0.0;
    for (size_t n = total / 2; n < out.size(); ++n) {
        worst = std::max(worst, std::abs(out[n] - gain * in[n - latency]));
        peak = std::max(peak, static_cast<double>(std::abs(out[n])));
    }
    EXPECT_LT(worst, 1e-3 * ceiling);
    EXPECT_NEAR(20.0 * std::log10(peak), -1.0, 0.05);
    // What the rack card shows: the reduction applied, ceiling / amplitude, within 0.1 dB.
    EXPECT_NEAR(limiter.outputs().get(LimiterEffect::kGainReductionOutput),
                -20.0 * std::log10(gain), 0.1);
}

TEST_P(LimiterEffectAt, RandomSettingsEveryBlockStayFiniteAndNeverClick) {
    const auto [rate, block] = GetParam();
    LimiterEffect limiter;
    limiter.prepare({rate, block, 2});
    std::mt19937 rng(5);

    // A loud 150 Hz sine (up to +11.6 dBFS) whose level swells and fades, so the limiter works
    // all the time while the input's own steps stay small.
    std::vector<float> input(static_cast<size_t>(10.0 * rate) + block);
    for (size_t n = 0; n < input.size(); ++n) {
        const double t = static_cast<double>(n) / rate;
        input[n] = static_cast<float>(2.0 * (1.0 + 0.9 * std::sin(2.0 * kPi * 0.7 * t)) *
                                      std::sin(2.0 * kPi * 150.0 * t));
    }
    float inputStep = 0.0f;  // the largest step the input itself takes
    float inputPeak = 0.0f;
    for (size_t n = 1; n < input.size(); ++n) {
        inputStep = std::max(inputStep, std::abs(input[n] - input[n - 1]));
        inputPeak = std::max(inputPeak, std::abs(input[n]));
    }

    // Bound, per sample: y = clamp(g * x_d, ceiling), with
    //  - x_d the input delayed by the look-ahead L, which glides by at most one frame every
    //    other frame, so the read point advances 0, 1 or 2 frames: |x_d step| <= 2 inputStep;
    //  - g in [0, 1] the average of the released gains over the window of L + 1 frames; from
    //    one frame to the next the window gains one frame and loses at most two, so g moves by
    //    at most 3 / (L + 1), L the smallest look-ahead during the block (it moves
    //    monotonically towards the parameter within a block, so the smaller of the values
    //    before and after it);
    //  - the ceiling ramping linearly in dB over 20 ms (24 dB at most), and a clamp never
    //    enlarging a step. Then
    //   |y[n] - y[n-1]| <= 2 inputStep + peak * 3 / (L + 1) + ceiling step.
    const double ramp = std::floor(rate * LimiterEffect::kRampSeconds);
    const double ceilingStep = std::pow(10.0, 24.0 / ramp / 20.0) - 1.0;
    AudioBuffer buffer(2, block);
    float previousOut = 0.0f;
    uint32_t previousLatency = limiter.latencyFrames();
    const auto blocks = static_cast<int>(10.0 * rate / block);
    for (int b = 0; b < blocks; ++b) {
        test::randomiseParameters(limiter.parameters(), rng);
        std::copy_n(input.begin() + static_cast<long>(b) * block, block, buffer.channel(0));
        std::copy_n(input.begin() + static_cast<long>(b) * block, block, buffer.channel(1));
        limiter.process(buffer.block());
        const uint32_t latency = limiter.latencyFrames();
        for (uint32_t i = 0; i < block; ++i) {
            const float out = buffer.channel(0)[i];
            ASSERT_TRUE(std::isfinite(out) && std::isfinite(buffer.channel(1)[i]));
            const double gainStep = 3.0 / (std::min(latency, previousLatency) + 1.0);
            const double allowed = 2.0 * inputStep + inputPeak * gainStep + ceilingStep + 1e-6;
            ASSERT_LE(std::abs(out - previousOut), allowed) << "block " << b << " sample " << i;
            previousOut = out;
        }
        previousLatency = latency;
    }
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, LimiterEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(LimiterEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = LimiterEffect::staticInfo();
    EXPECT_EQ(info.typeId, "limiter");
    EXPECT_NE(EffectFactory::create("limiter"), nullptr);
    const test::ExpectedParameter expected[] = {
        {"ceiling_db", -24.0f, 0.0f, -1.0f},
        {"release_ms", 1.0f, 1000.0f, 50.0f},
        {"lookahead_ms", 0.0f, 10.0f, 5.0f},
    };
    test::expectParameters(info, expected);
}

}  // namespace
}  // namespace liverack::core
