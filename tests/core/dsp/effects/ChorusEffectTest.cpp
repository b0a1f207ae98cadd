// ChorusEffect: the delay sweep seen through a sine (its instantaneous phase) repeats every
// 1/rate_hz and spans depth_ms; the right channel's sweep runs a quarter cycle behind; mix 0 is
// exactly dry; random parameter changes never click.
#include "core/dsp/effects/ChorusEffect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>

#include "tests/support/EffectTestSupport.h"

namespace liverack::core {
namespace {

// A sine of exactly `period` samples, delayed by d(t), has phase −2π·d(t)/period (plus a
// constant). Demodulating against the carrier and averaging over exactly one period (which
// removes the 2f component) gives that phase; unwrapped and scaled, the delay in samples.
std::vector<double> delayTrack(const std::vector<float>& y, size_t period, size_t skip) {
    std::vector<double> delay;
    double previous = 0.0;
    double unwrap = 0.0;
    const double w = 2.0 * std::numbers::pi / period;
    for (size_t start = skip; start + period <= y.size(); start += period / 2) {
        double i = 0.0, q = 0.0;
        for (size_t k = start; k < start + period; ++k) {
            i += y[k] * std::cos(w * k);
            q += y[k] * std::sin(w * k);
        }
        const double phase = std::atan2(i, q);  // y = sin(w(k − d)) → phase −w·d
        double diff = phase - previous;
        while (diff > std::numbers::pi)
            diff -= 2 * std::numbers::pi;
        while (diff < -std::numbers::pi)
            diff += 2 * std::numbers::pi;
        unwrap += diff;
        previous = phase;
        delay.push_back(-unwrap / w);
    }
    return delay;
}

// True when no sample is subnormal and the signal has ended in exact zeros.
bool tailEndsCleanly(const std::vector<float>& y) {
    for (float v : y) {
        if (std::fpclassify(v) == FP_SUBNORMAL) {
            return false;
        }
    }
    return y.back() == 0.0f;
}

using RateAndBlock = std::tuple<double, uint32_t>;
class ChorusEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(ChorusEffectAt, DelaySweepRepeatsEveryOneOverRateAndSpansDepth) {
    const auto [rate, block] = GetParam();
    constexpr size_t kPeriod = 50;  // carrier of rate/50 Hz: 882, 960 or 1920 Hz
    for (float lfoHz : {1.0f, 3.0f}) {
        ChorusEffect chorus;
        chorus.parameters().set(ChorusEffect::kRateHz, lfoHz);
        chorus.parameters().set(ChorusEffect::kDepthMs, 4.0f);
        chorus.parameters().set(ChorusEffect::kDelayMs, 10.0f);
        chorus.parameters().set(ChorusEffect::kMix, 1.0f);
        chorus.prepare({rate, block, 2});
        const auto in = test::sine(2, static_cast<size_t>(6.0 * rate), rate / kPeriod, rate, 0.5f);
        const auto out = test::processInBlocks(chorus, in, block);
        auto track = delayTrack(out[0], kPeriod, 2048);
        const double trackRate = rate / (kPeriod / 2);  // one value per half carrier period
        const auto [lo, hi] = std::minmax_element(track.begin(), track.end());
        EXPECT_NEAR((*hi - *lo) / rate * 1000.0, 4.0, 0.04) << "swing in ms, rate " << lfoHz;
        const double mean = 0.5 * (*hi + *lo);
        std::vector<float> centred(track.size());
        for (size_t i = 0; i < track.size(); ++i) {
            centred[i] = static_cast<float>(track[i] - mean);
        }
        const double measured = test::zeroCrossingFrequency(centred, 0, centred.size(), trackRate);
        EXPECT_NEAR(measured, lfoHz, lfoHz * 2e-3) << "rate " << lfoHz;
    }
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, ChorusEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(ChorusEffectTest, RightSweepRunsAQuarterCycleBehind) {
    const double rate = 48000.0;
    ChorusEffect chorus;
    chorus.parameters().set(ChorusEffect::kRateHz, 1.0f);
    chorus.parameters().set(ChorusEffect::kMix, 1.0f);
    chorus.prepare({rate, 64, 2});
    const auto in = test::sine(2, static_cast<size_t>(4.0 * rate), rate / 50, rate, 0.5f);
    const auto out = test::processInBlocks(chorus, in, 64);
    auto left = delayTrack(out[0], 50, 2048);
    auto right = delayTrack(out[1], 50, 2048);
    // Each track carries an arbitrary whole number of carrier periods from its start: remove
    // the means.
    for (auto* track : {&left, &right}) {
        double mean = 0.0;
        for (double v : *track) {
            mean += v;
        }
        mean /= static_cast<double>(track->size());
        for (double& v : *track) {
            v -= mean;
        }
    }
    // Lagging by a quarter of a 1 Hz cycle: the right track is the left one 0.25 s later.
    const auto lag = static_cast<size_t>(0.25 * rate / 25);
    double worst = 0.0;
    for (size_t i = 0; i + lag < left.size(); ++i) {
        worst = std::max(worst, std::abs(right[i + lag] - left[i]));
    }
    EXPECT_LT(worst, 0.02 * 3.0 * rate / 1000.0);  // within 2 % of the 3 ms swing
}

TEST(ChorusEffectTest, MixZeroPassesTheDrySignalExactly) {
    ChorusEffect chorus;
    chorus.parameters().set(ChorusEffect::kMix, 0.0f);
    chorus.prepare({48000.0, 64, 2});
    const auto in = test::sine(2, 48000, 440.0, 48000.0, 0.5f);
    EXPECT_EQ(test::processInBlocks(chorus, in, 64), in);
}

TEST(ChorusEffectTest, RandomParametersEveryBlockNeverClick) {
    for (double rate : {44100.0, 96000.0}) {
        ChorusEffect chorus;
        chorus.prepare({rate, 64, 2});
        // The read head's speed is 1 ± the LFO sweep (π·10 Hz·10 ms ≈ 0.31) ± the 0.2 s delay
        // and depth ramps (≤ 0.51): at most 1.82× the input's bandwidth. Bernstein × 1.82, ×
        // 1.3 for dry and wet partly cancelling in the local peak; the floor covers the 20 ms
        // mix and feedback ramps.
        const auto report = test::randomParameterClickTest(chorus, rate, 64, 1.82 * 1.3, 0.01f);
        EXPECT_TRUE(report.finite);
        EXPECT_LE(report.worstExcess, 0.0) << "at sample " << report.worstIndex;
    }
}

TEST(ChorusEffectTest, FeedbackTailNeverGoesSubnormal) {
    // A 1 ms line at 0.9 feedback falls below FLT_MIN in under a second.
    ChorusEffect chorus;
    chorus.parameters().set(ChorusEffect::kDelayMs, 1.0f);
    chorus.parameters().set(ChorusEffect::kDepthMs, 0.0f);
    chorus.parameters().set(ChorusEffect::kFeedback, 0.9f);
    chorus.parameters().set(ChorusEffect::kMix, 1.0f);
    chorus.prepare({48000.0, 256, 2});
    test::Signal in(2, std::vector<float>(4 * 48000, 0.0f));
    in[0][0] = in[1][0] = 1.0f;
    const auto out = test::processInBlocks(chorus, in, 256);
    EXPECT_TRUE(tailEndsCleanly(out[0]));
    EXPECT_TRUE(tailEndsCleanly(out[1]));
}

TEST(ChorusEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = ChorusEffect::staticInfo();
    EXPECT_EQ(info.typeId, "chorus");
    test::expectParameters(info, {{"rate_hz", 0.05f, 10.0f, 0.8f},
                                  {"depth_ms", 0.0f, 10.0f, 3.0f},
                                  {"delay_ms", 1.0f, 30.0f, 12.0f},
                                  {"feedback", -0.9f, 0.9f, 0.0f},
                                  {"mix", 0.0f, 1.0f, 0.5f}});
}

}  // namespace
}  // namespace liverack::core
