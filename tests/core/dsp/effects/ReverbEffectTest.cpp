// ReverbEffect: the decay time follows the comb feedback as the comb-filter model predicts (so a
// larger room decays longer), mix 0 is exactly dry, width 0 gives identical channels, long tails
// never produce subnormal numbers, and random parameter changes never click.
#include "core/dsp/effects/ReverbEffect.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <tuple>

#include "tests/support/EffectTestSupport.h"

namespace liverack::core {
namespace {

// Decay time in seconds from an energy decay curve (Schroeder's backward integral), by a
// least-squares line through its −5…−35 dB part extrapolated to −60 dB (T30).
double rt60FromEnergyDecay(const std::vector<double>& edc, double rate) {
    const double top = edc.front();
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (size_t i = 0; i < edc.size(); ++i) {
        const double db = 10.0 * std::log10(edc[i] / top);
        if (db <= -5.0 && db >= -35.0) {
            const double t = i / rate;
            sx += t;
            sy += db;
            sxx += t * t;
            sxy += t * db;
            ++n;
        }
    }
    const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);  // dB per second
    return -60.0 / slope;
}

std::vector<double> schroeder(const std::vector<float>& y) {
    std::vector<double> edc(y.size());
    double sum = 0.0;
    for (size_t i = y.size(); i-- > 0;) {
        sum += static_cast<double>(y[i]) * y[i];
        edc[i] = sum;
    }
    return edc;
}

// The model: with damping 0 each comb i of length D_i and feedback g returns its input every
// D_i samples scaled by g, so its energy still to come after t samples is ∝ g^(2·⌈t/D_i⌉)/D_i
// (per unit of time); the 8 combs add up in energy. The allpasses only smear over a few
// milliseconds and do not change the slope.
std::vector<double> modelEnergyDecay(double g, double rate, size_t frames) {
    std::vector<double> edc(frames, 0.0);
    for (size_t i = 0; i < ReverbEffect::kCombs; ++i) {
        const double d = ReverbEffect::combLength(i, 0, rate);
        for (size_t t = 0; t < frames; ++t) {
            edc[t] += std::pow(g, 2.0 * std::ceil(t / d)) / (1.0 - g * g);
        }
    }
    return edc;
}

using RateAndBlock = std::tuple<double, uint32_t>;
class ReverbEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(ReverbEffectAt, DecayTimeFollowsRoomSizeAsTheCombModelPredicts) {
    const auto [rate, block] = GetParam();
    double previous = 0.0;
    for (float room : {0.2f, 0.5f, 0.8f}) {
        ReverbEffect reverb;
        reverb.parameters().set(ReverbEffect::kRoomSize, room);
        reverb.parameters().set(ReverbEffect::kDamping, 0.0f);
        reverb.parameters().set(ReverbEffect::kPredelayMs, 0.0f);
        reverb.parameters().set(ReverbEffect::kMix, 1.0f);
        reverb.prepare({rate, block, 2});
        const auto frames = static_cast<size_t>(4.0 * rate);
        test::Signal in(2, std::vector<float>(frames, 0.0f));
        in[0][0] = in[1][0] = 1.0f;
        const auto out = test::processInBlocks(reverb, in, block);
        const double measured = rt60FromEnergyDecay(schroeder(out[0]), rate);
        const double g = ReverbEffect::kRoomOffset + ReverbEffect::kRoomScale * room;
        const double expected = rt60FromEnergyDecay(modelEnergyDecay(g, rate, frames), rate);
        EXPECT_NEAR(measured, expected, 0.1 * expected) << "room " << room;
        EXPECT_GT(measured, previous) << "a larger room decays longer";
        previous = measured;
    }
}

TEST_P(ReverbEffectAt, MixZeroPassesTheDrySignalExactly) {
    const auto [rate, block] = GetParam();
    ReverbEffect reverb;
    reverb.parameters().set(ReverbEffect::kMix, 0.0f);
    reverb.prepare({rate, block, 2});
    test::Signal in = {test::bandLimitedNoise(static_cast<size_t>(rate), rate, 5000.0, 0.5f, 3),
                       test::bandLimitedNoise(static_cast<size_t>(rate), rate, 5000.0, 0.5f, 4)};
    EXPECT_EQ(test::processInBlocks(reverb, in, block), in);
}

TEST_P(ReverbEffectAt, WidthZeroGivesIdenticalChannels) {
    const auto [rate, block] = GetParam();
    ReverbEffect reverb;
    reverb.parameters().set(ReverbEffect::kWidth, 0.0f);
    reverb.parameters().set(ReverbEffect::kMix, 1.0f);
    reverb.prepare({rate, block, 2});
    test::Signal in = {test::bandLimitedNoise(static_cast<size_t>(rate), rate, 5000.0, 0.5f, 5),
                       test::bandLimitedNoise(static_cast<size_t>(rate), rate, 5000.0, 0.5f, 6)};
    const auto out = test::processInBlocks(reverb, in, block);
    EXPECT_EQ(out[0], out[1]);
    // ... while full width keeps them apart (the spread combs differ).
    ReverbEffect wide;
    wide.parameters().set(ReverbEffect::kMix, 1.0f);
    wide.prepare({rate, block, 2});
    const auto wideOut = test::processInBlocks(wide, in, block);
    EXPECT_NE(wideOut[0], wideOut[1]);
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, ReverbEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(ReverbEffectTest, PredelayDelaysTheOnsetOfTheTail) {
    ReverbEffect reverb;
    reverb.parameters().set(ReverbEffect::kPredelayMs, 50.0f);
    reverb.parameters().set(ReverbEffect::kMix, 1.0f);
    reverb.prepare({48000.0, 64, 2});
    test::Signal in(2, std::vector<float>(48000, 0.0f));
    in[0][0] = in[1][0] = 1.0f;
    const auto out = test::processInBlocks(reverb, in, 64);
    size_t first = 0;
    while (first < out[0].size() && out[0][first] == 0.0f) {
        ++first;
    }
    // 50 ms of pre-delay, then the shortest comb (1116 samples at 44.1 kHz, scaled).
    EXPECT_EQ(first, 2400u + static_cast<size_t>(ReverbEffect::combLength(0, 0, 48000.0)));
}

TEST(ReverbEffectTest, LongTailsNeverProduceSubnormalNumbers) {
    ReverbEffect reverb;
    reverb.parameters().set(ReverbEffect::kRoomSize, 0.5f);
    reverb.parameters().set(ReverbEffect::kMix, 1.0f);
    reverb.prepare({44100.0, 512, 2});
    // 30 s: at room 0.5 the tail falls below FLT_MIN after about 16 s.
    test::Signal in(2, std::vector<float>(30 * 44100, 0.0f));
    in[0][0] = in[1][0] = 1.0f;
    const auto out = test::processInBlocks(reverb, in, 512);
    for (const auto& ch : out) {
        for (float v : ch) {
            ASSERT_NE(std::fpclassify(v), FP_SUBNORMAL);
        }
        EXPECT_EQ(ch.back(), 0.0f) << "the tail ends in exact silence";
    }
}

TEST(ReverbEffectTest, RandomParametersEveryBlockNeverClick) {
    for (double rate : {44100.0, 96000.0}) {
        ReverbEffect reverb;
        reverb.prepare({rate, 64, 2});
        // A reverb is a linear filter, so its output keeps the input's bandwidth; the only
        // stretching comes from the pre-delay's glide (read head at 0…2 samples per sample):
        // Bernstein's bound × 2, × 1.3 for dry and wet partly cancelling in the local peak.
        // The floor covers the 20 ms mix ramp (≤ 1/882 per sample × |wet − dry| ≤ a few units).
        const auto report = test::randomParameterClickTest(reverb, rate, 64, 2.0 * 1.3, 0.01f);
        EXPECT_TRUE(report.finite);
        EXPECT_LE(report.worstExcess, 0.0) << "at sample " << report.worstIndex;
    }
}

TEST(ReverbEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = ReverbEffect::staticInfo();
    EXPECT_EQ(info.typeId, "reverb");
    test::expectParameters(info, {{"room_size", 0.0f, 1.0f, 0.5f},
                                  {"damping", 0.0f, 1.0f, 0.5f},
                                  {"predelay_ms", 0.0f, 200.0f, 10.0f},
                                  {"width", 0.0f, 1.0f, 1.0f},
                                  {"mix", 0.0f, 1.0f, 0.25f}});
}

}  // namespace
}  // namespace liverack::core
