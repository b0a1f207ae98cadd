// DelayEffect: an impulse comes back exactly time_ms later (to the sample, and to a fraction of a
// sample for fractional times), each repeat scaled by the feedback; ping-pong alternates the
// repeats between channels; mix 0 is the dry signal; random parameter changes never click.
#include "core/dsp/effects/DelayEffect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <tuple>

#include "tests/support/EffectTestSupport.h"

namespace liverack::core {
namespace {

using RateAndBlock = std::tuple<double, uint32_t>;
class DelayEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

struct Echo {
    size_t firstSample;  // first sample above the noise floor
    double sum;          // Σ samples: the high-cut low-pass has unity DC gain, so this is the gain
    double centroid;     // Σ n·y / Σ y
};

Echo echoIn(const std::vector<float>& y, size_t from, size_t to) {
    Echo e{to, 0.0, 0.0};
    double moment = 0.0;
    for (size_t i = from; i < to && i < y.size(); ++i) {
        if (e.firstSample == to && std::abs(y[i]) > 1e-6f) {
            e.firstSample = i;
        }
        e.sum += y[i];
        moment += static_cast<double>(i) * y[i];
    }
    e.centroid = e.sum != 0.0 ? moment / e.sum : 0.0;
    return e;
}

test::Signal impulse(size_t frames) {
    test::Signal s(2, std::vector<float>(frames, 0.0f));
    s[0][0] = s[1][0] = 1.0f;
    return s;
}

void configure(DelayEffect& delay, float timeMs, float feedback, bool pingPong, float highCut) {
    delay.parameters().set(DelayEffect::kTimeMs, timeMs);
    delay.parameters().set(DelayEffect::kFeedback, feedback);
    delay.parameters().set(DelayEffect::kMix, 1.0f);
    delay.parameters().set(DelayEffect::kPingPong, pingPong ? 1.0f : 0.0f);
    delay.parameters().set(DelayEffect::kHighCutHz, highCut);
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

TEST_P(DelayEffectAt, ImpulseRepeatsEveryTimeMsScaledByFeedback) {
    const auto [rate, block] = GetParam();
    for (float timeMs : {10.0f, 250.0f}) {  // whole samples at 44.1, 48 and 96 kHz
        DelayEffect delay;
        configure(delay, timeMs, 0.6f, false, 8000.0f);
        delay.prepare({rate, block, 2});
        const auto period = static_cast<size_t>(std::lround(timeMs * rate / 1000.0));
        const auto out = test::processInBlocks(delay, impulse(4 * period + period / 2), block);
        for (int c = 0; c < 2; ++c) {
            // Wet only: nothing before the first repeat.
            EXPECT_EQ(echoIn(out[c], 0, period).firstSample, period);
            for (int n = 1; n <= 3; ++n) {
                const Echo e = echoIn(out[c], n * period - period / 2, n * period + period / 2);
                EXPECT_EQ(e.firstSample, n * period) << "repeat " << n;
                EXPECT_NEAR(e.sum, std::pow(0.6, n - 1), 1e-4) << "repeat " << n;
            }
        }
    }
}

TEST_P(DelayEffectAt, FractionalTimeLandsBetweenSamples) {
    const auto [rate, block] = GetParam();
    const float timeMs = 7.3f;
    const double highCut = 12000.0;
    DelayEffect delay;
    configure(delay, timeMs, 0.5f, false, static_cast<float>(highCut));
    delay.prepare({rate, block, 2});
    const double period = timeMs * rate / 1000.0;
    const auto out =
        test::processInBlocks(delay, impulse(static_cast<size_t>(3.5 * period)), block);
    // Lagrange interpolation reproduces a ramp exactly, so the echo's centroid is the fractional
    // delay; each pass through the one-pole y += (1 − a)(x − y) adds its centroid a/(1 − a).
    const double a = std::exp(-2.0 * std::numbers::pi * highCut / rate);
    for (int n = 1; n <= 2; ++n) {
        const Echo e = echoIn(out[0], static_cast<size_t>((n - 0.5) * period),
                              static_cast<size_t>((n + 0.5) * period));
        EXPECT_NEAR(e.centroid, n * (period + a / (1.0 - a)), 0.02) << "repeat " << n;
    }
}

TEST_P(DelayEffectAt, PingPongAlternatesRepeatsBetweenChannels) {
    const auto [rate, block] = GetParam();
    DelayEffect delay;
    configure(delay, 100.0f, 0.5f, true, 8000.0f);
    delay.prepare({rate, block, 2});
    const auto period = static_cast<size_t>(std::lround(0.1 * rate));
    const auto out = test::processInBlocks(delay, impulse(4 * period + period / 2), block);
    for (int n = 1; n <= 4; ++n) {
        const size_t from = n * period - period / 2;
        const size_t to = n * period + period / 2;
        const int loud = (n % 2 == 1) ? 0 : 1;  // L, R, L, R ...
        const Echo e = echoIn(out[loud], from, to);
        EXPECT_EQ(e.firstSample, n * period) << "repeat " << n;
        EXPECT_NEAR(e.sum, std::pow(0.5, n - 1), 1e-4) << "repeat " << n;
        EXPECT_EQ(echoIn(out[1 - loud], from, to).firstSample, to) << "repeat " << n;
    }
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, DelayEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(DelayEffectTest, MixZeroPassesTheDrySignalExactly) {
    DelayEffect delay;
    delay.parameters().set(DelayEffect::kMix, 0.0f);
    delay.prepare({48000.0, 64, 2});
    const auto in = test::sine(2, 48000, 440.0, 48000.0, 0.5f);
    const auto out = test::processInBlocks(delay, in, 64);
    EXPECT_EQ(out, in);
}

TEST(DelayEffectTest, TimeChangeGlidesToTheNewTime) {
    DelayEffect delay;
    configure(delay, 100.0f, 0.0f, false, 20000.0f);
    delay.prepare({48000.0, 64, 2});
    delay.parameters().set(DelayEffect::kTimeMs, 200.0f);
    // Give the glide 2 s (25 time constants) to settle, then an impulse must come back at 200 ms.
    test::Signal in(2, std::vector<float>(96000 + 12000, 0.0f));
    in[0][96000] = in[1][96000] = 1.0f;
    const auto out = test::processInBlocks(delay, in, 64);
    EXPECT_EQ(echoIn(out[0], 96000, out[0].size()).firstSample, 96000u + 9600u);
}

TEST(DelayEffectTest, RandomParametersEveryBlockNeverClick) {
    for (double rate : {44100.0, 96000.0}) {
        DelayEffect delay;
        delay.prepare({rate, 64, 2});
        // The read head moves at 0.1…1.9 samples per sample while gliding, so the wet signal's
        // bandwidth is at most 1.9× the input's: Bernstein's bound × 1.9, × 1.3 for the dry and
        // wet parts adding with partial cancellation of the local peak, and a floor of 0.01 for
        // the 20 ms ramps of mix and feedback (≤ 1/882 per sample × a signal of a few units).
        const auto report = test::randomParameterClickTest(delay, rate, 64, 1.9 * 1.3, 0.01f);
        EXPECT_TRUE(report.finite);
        EXPECT_LE(report.worstExcess, 0.0) << "at sample " << report.worstIndex;
    }
}

TEST(DelayEffectTest, FeedbackTailNeverGoesSubnormal) {
    // 1 ms at 0.95 feedback through a 1 kHz high cut falls below FLT_MIN in about 2 s.
    DelayEffect delay;
    configure(delay, 1.0f, 0.95f, false, 1000.0f);
    delay.prepare({48000.0, 256, 2});
    test::Signal in(2, std::vector<float>(6 * 48000, 0.0f));
    in[0][0] = in[1][0] = 1.0f;
    const auto out = test::processInBlocks(delay, in, 256);
    EXPECT_TRUE(tailEndsCleanly(out[0]));
    EXPECT_TRUE(tailEndsCleanly(out[1]));
}

TEST(DelayEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = DelayEffect::staticInfo();
    EXPECT_EQ(info.typeId, "delay");
    ASSERT_EQ(info.parameters.size(), 5u);
    const auto& time = info.parameters[DelayEffect::kTimeMs];
    EXPECT_EQ(time.id, "time_ms");
    EXPECT_EQ(time.minValue, 1.0f);
    EXPECT_EQ(time.maxValue, 2000.0f);
    EXPECT_EQ(time.defaultValue, 350.0f);
    EXPECT_EQ(time.skew, ParameterSkew::Logarithmic);
    const auto& feedback = info.parameters[DelayEffect::kFeedback];
    EXPECT_EQ(feedback.id, "feedback");
    EXPECT_EQ(feedback.maxValue, 0.95f);
    EXPECT_EQ(feedback.defaultValue, 0.35f);
    EXPECT_EQ(info.parameters[DelayEffect::kMix].id, "mix");
    EXPECT_EQ(info.parameters[DelayEffect::kMix].defaultValue, 0.3f);
    EXPECT_EQ(info.parameters[DelayEffect::kPingPong].id, "pingpong");
    EXPECT_EQ(info.parameters[DelayEffect::kPingPong].kind, ParameterKind::Toggle);
    const auto& highCut = info.parameters[DelayEffect::kHighCutHz];
    EXPECT_EQ(highCut.id, "highcut_hz");
    EXPECT_EQ(highCut.minValue, 1000.0f);
    EXPECT_EQ(highCut.maxValue, 20000.0f);
    EXPECT_EQ(highCut.defaultValue, 8000.0f);
}

}  // namespace
}  // namespace liverack::core
