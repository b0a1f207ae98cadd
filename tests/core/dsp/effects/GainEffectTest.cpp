// GainEffect: gain in dB is exact once settled, and a jump is spread over the ramp so no sample
// step is larger than (change / ramp length).
#include "core/dsp/effects/GainEffect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "core/dsp/AudioBuffer.h"

namespace liverack::core {
namespace {

using RateAndBlock = std::tuple<double, uint32_t>;
class GainEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(GainEffectAt, SettledGainEqualsGainParameter) {
    const auto [rate, block] = GetParam();
    GainEffect gain;
    gain.parameters().set(GainEffect::kGainDb, -6.0206f);
    gain.prepare({rate, block, 2});
    AudioBuffer buffer(2, block);
    std::fill_n(buffer.channel(0), block, 0.8f);
    std::fill_n(buffer.channel(1), block, -0.8f);
    gain.process(buffer.block());
    EXPECT_NEAR(buffer.channel(0)[block - 1], 0.4f, 1e-6f);
    EXPECT_NEAR(buffer.channel(1)[block - 1], -0.4f, 1e-6f);
}

TEST_P(GainEffectAt, JumpIsRampedWithNoStepLargerThanTheRampAllows) {
    const auto [rate, block] = GetParam();
    GainEffect gain;
    gain.prepare({rate, block, 1});
    gain.parameters().set(GainEffect::kGainDb, -60.0f);  // 1.0 -> 0.001 on a DC input of 1
    const double rampSamples = std::floor(rate * GainEffect::kRampSeconds);
    const float maxStep = static_cast<float>((1.0 - 0.001) / rampSamples) * 1.0001f;
    AudioBuffer buffer(1, block);
    float previous = 1.0f;
    float last = 1.0f;
    const int blocks = static_cast<int>(rampSamples / block) + 2;
    for (int b = 0; b < blocks; ++b) {
        std::fill_n(buffer.channel(0), block, 1.0f);
        gain.process(buffer.block());
        for (uint32_t i = 0; i < block; ++i) {
            ASSERT_LE(std::abs(buffer.channel(0)[i] - previous), maxStep);
            previous = buffer.channel(0)[i];
        }
        last = buffer.channel(0)[block - 1];
    }
    EXPECT_NEAR(last, 0.001f, 1e-7f);
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, GainEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(GainEffectTest, BalanceTurnsDownOnlyTheOtherSide) {
    GainEffect gain;
    gain.parameters().set(GainEffect::kPan, 0.5f);
    gain.prepare({48000.0, 8, 2});
    AudioBuffer buffer(2, 8);
    std::fill_n(buffer.channel(0), 8, 1.0f);
    std::fill_n(buffer.channel(1), 8, 1.0f);
    gain.process(buffer.block());
    EXPECT_FLOAT_EQ(buffer.channel(0)[7], 0.5f);
    EXPECT_FLOAT_EQ(buffer.channel(1)[7], 1.0f);
}

TEST(GainEffectTest, InvertAndMuteActPerChannel) {
    GainEffect gain;
    gain.parameters().set(GainEffect::kInvertRight, 1.0f);
    gain.prepare({48000.0, 8, 2});
    AudioBuffer buffer(2, 8);
    std::fill_n(buffer.channel(0), 8, 0.25f);
    std::fill_n(buffer.channel(1), 8, 0.25f);
    gain.process(buffer.block());
    EXPECT_FLOAT_EQ(buffer.channel(0)[7], 0.25f);
    EXPECT_FLOAT_EQ(buffer.channel(1)[7], -0.25f);

    gain.parameters().set(GainEffect::kMute, 1.0f);
    gain.reset();  // snap to the muted target
    gain.process(buffer.block());
    EXPECT_EQ(buffer.channel(0)[7], 0.0f);
    EXPECT_EQ(buffer.channel(1)[7], 0.0f);
}

TEST(GainEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = GainEffect::staticInfo();
    EXPECT_EQ(info.typeId, "gain");
    ASSERT_EQ(info.parameters.size(), 5u);
    EXPECT_EQ(info.parameters[GainEffect::kGainDb].id, "gain_db");
    EXPECT_EQ(info.parameters[GainEffect::kGainDb].minValue, -60.0f);
    EXPECT_EQ(info.parameters[GainEffect::kGainDb].maxValue, 24.0f);
    EXPECT_EQ(info.indexOf("mute"), static_cast<int>(GainEffect::kMute));
}

}  // namespace
}  // namespace liverack::core
