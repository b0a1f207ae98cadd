// TremoloEffect: the gain law gives a trough/peak ratio of (1 − depth)/(1 + depth) (1/3 at depth
// 0.5) for every shape, the LFO period is 1/rate, the stereo phase offsets the right channel, and
// random parameter changes never click.
#include "core/dsp/effects/TremoloEffect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "tests/support/EffectTestSupport.h"

namespace liverack::core {
namespace {

using RateAndBlock = std::tuple<double, uint32_t>;
class TremoloEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

// A constant input of 1 makes the output the gain envelope itself.
test::Signal envelope(TremoloEffect& tremolo, double rate, uint32_t block, double seconds) {
    const auto frames = static_cast<size_t>(seconds * rate);
    test::Signal ones(2, std::vector<float>(frames, 1.0f));
    return test::processInBlocks(tremolo, ones, block);
}

TEST_P(TremoloEffectAt, HalfDepthGivesEnvelopeRatioOfOneThirdForEveryShape) {
    const auto [rate, block] = GetParam();
    for (int shape : {TremoloEffect::kSine, TremoloEffect::kTriangle, TremoloEffect::kSquare}) {
        TremoloEffect tremolo;
        tremolo.parameters().set(TremoloEffect::kDepth, 0.5f);
        tremolo.parameters().set(TremoloEffect::kShape, static_cast<float>(shape));
        tremolo.parameters().set(TremoloEffect::kRateHz, 4.0f);
        tremolo.prepare({rate, block, 2});
        const auto out = envelope(tremolo, rate, block, 1.0);
        const auto [lo, hi] = std::minmax_element(out[0].begin(), out[0].end());
        EXPECT_NEAR(*lo / *hi, 1.0 / 3.0, 0.02 / 3.0) << "shape " << shape;
        EXPECT_NEAR(*hi, 1.0f, 1e-4f) << "the gain never boosts";
    }
}

TEST_P(TremoloEffectAt, EnvelopePeriodEqualsOneOverRate) {
    const auto [rate, block] = GetParam();
    for (float hz : {1.0f, 5.0f, 17.0f}) {
        TremoloEffect tremolo;
        tremolo.parameters().set(TremoloEffect::kRateHz, hz);
        tremolo.prepare({rate, block, 2});
        auto out = envelope(tremolo, rate, block, 4.0);
        // The sine envelope is 1 − d/(1 + d)·(1 − sin): its mean is 1/(1 + d).
        for (auto& v : out[0]) {
            v -= 1.0f / 1.5f;
        }
        const double measured = test::zeroCrossingFrequency(out[0], 0, out[0].size(), rate);
        EXPECT_NEAR(measured, hz, hz * 1e-4) << "rate " << hz;
    }
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, TremoloEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(TremoloEffectTest, StereoPhaseOf180DegreesPutsTheChannelsInOpposition) {
    TremoloEffect tremolo;
    tremolo.parameters().set(TremoloEffect::kStereoPhaseDeg, 180.0f);
    tremolo.parameters().set(TremoloEffect::kDepth, 0.5f);
    tremolo.prepare({48000.0, 256, 2});
    const auto out = envelope(tremolo, 48000.0, 256, 1.0);
    // Sine gains (1 + d·s)/(1 + d) and (1 − d·s)/(1 + d) always sum to 2/(1 + d).
    for (size_t i = 0; i < out[0].size(); ++i) {
        ASSERT_NEAR(out[0][i] + out[1][i], 2.0f / 1.5f, 1e-5f);
    }
}

TEST(TremoloEffectTest, ZeroDepthPassesTheInputUnchanged) {
    TremoloEffect tremolo;
    tremolo.parameters().set(TremoloEffect::kDepth, 0.0f);
    tremolo.prepare({48000.0, 64, 2});
    const auto in = test::sine(2, 4800, 440.0, 48000.0, 0.5f);
    const auto out = test::processInBlocks(tremolo, in, 64);
    for (size_t i = 0; i < in[0].size(); ++i) {
        ASSERT_EQ(out[0][i], in[0][i]);
    }
}

TEST(TremoloEffectTest, RandomParametersEveryBlockNeverClick) {
    for (double rate : {44100.0, 96000.0}) {
        TremoloEffect tremolo;
        tremolo.prepare({rate, 64, 2});
        // y = g·x with g ≤ 1: the step is g·Δx (within Bernstein's bound; the LFO adds at most
        // ~100 Hz of bandwidth, hence 1.1) plus |x|·Δg. Δg per sample is at most ≈ 0.03 at
        // 44.1 kHz: the square's edge (k·2π·20 Hz/rate · d/(1+d) ≈ 0.007), the 20 ms ramps of
        // depth (≈ 0.0023), of the shape crossfade (≈ 0.0023) and of a 180° stereo-phase jump
        // (≈ 0.009). With |x| ≤ 0.5 that is the floor 0.015.
        const auto report = test::randomParameterClickTest(tremolo, rate, 64, 1.1, 0.015f);
        EXPECT_TRUE(report.finite);
        EXPECT_LE(report.worstExcess, 0.0) << "at sample " << report.worstIndex;
    }
}

// The click test must be able to fail: a hard-switched tremolo (gain 1 or 1/3, flipped every
// block with no softening) is exactly the click it exists to catch.
class HardSwitchedGain final : public Effect {
public:
    HardSwitchedGain() : Effect(info_) {}
    const EffectInfo& info() const noexcept override { return info_; }
    void prepare(const ProcessSpec&) override {}
    void reset() noexcept override {}
    void process(AudioBlock block) noexcept override {
        high_ = !high_;
        for (uint32_t c = 0; c < block.channelCount(); ++c) {
            for (uint32_t i = 0; i < block.frameCount(); ++i) {
                block.channel(c)[i] *= high_ ? 1.0f : 1.0f / 3.0f;
            }
        }
    }

private:
    static inline const EffectInfo info_{"hard", "Hard", {}};
    bool high_ = false;
};

TEST(TremoloEffectTest, ClickTestCatchesAnUnsoftenedGainSwitch) {
    HardSwitchedGain hard;
    const auto report = test::randomParameterClickTest(hard, 48000.0, 64, 1.1, 0.015f, 2.0);
    EXPECT_TRUE(report.finite);
    EXPECT_GT(report.worstExcess, 0.05);
}

TEST(TremoloEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = TremoloEffect::staticInfo();
    EXPECT_EQ(info.typeId, "tremolo");
    ASSERT_EQ(info.parameters.size(), 4u);
    const auto& rate = info.parameters[TremoloEffect::kRateHz];
    EXPECT_EQ(rate.id, "rate_hz");
    EXPECT_EQ(rate.minValue, 0.1f);
    EXPECT_EQ(rate.maxValue, 20.0f);
    EXPECT_EQ(rate.defaultValue, 5.0f);
    EXPECT_EQ(info.parameters[TremoloEffect::kDepth].id, "depth");
    EXPECT_EQ(info.parameters[TremoloEffect::kDepth].defaultValue, 0.5f);
    const auto& shape = info.parameters[TremoloEffect::kShape];
    EXPECT_EQ(shape.id, "shape");
    EXPECT_EQ(shape.choices, (std::vector<std::string>{"sine", "triangle", "square"}));
    const auto& phase = info.parameters[TremoloEffect::kStereoPhaseDeg];
    EXPECT_EQ(phase.id, "stereo_phase_deg");
    EXPECT_EQ(phase.minValue, 0.0f);
    EXPECT_EQ(phase.maxValue, 180.0f);
    EXPECT_EQ(phase.defaultValue, 0.0f);
}

}  // namespace
}  // namespace liverack::core
