// GateEffect: closed, it attenuates by exactly the range; between the close and open thresholds
// it keeps whatever state it was in (hysteresis); and random settings every block never click.
#include "core/dsp/effects/GateEffect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "tests/support/EffectTestSupport.h"
#include "tests/support/RandomParameters.h"

namespace liverack::core {
namespace {

// A square wave: |x| is constant, so the peak detector reads exactly the level asked for.
// Returns the gain (dB) of the last sample of channel 0 (channel 1 is silent: linking).
double runSquare(GateEffect& gate, uint32_t block, double rate, double levelDb, double seconds,
                 uint64_t& phase) {
    const auto amplitude = static_cast<float>(std::pow(10.0, levelDb / 20.0));
    AudioBuffer buffer(2, block);
    const auto total = static_cast<size_t>(seconds * rate);
    float last = 0.0f;
    for (size_t done = 0; done < total; done += block) {
        const auto frames = static_cast<uint32_t>(std::min<size_t>(block, total - done));
        for (uint32_t i = 0; i < frames; ++i, ++phase) {
            buffer.channel(0)[i] = (phase / 32) % 2 == 0 ? amplitude : -amplitude;
            buffer.channel(1)[i] = 0.0f;
        }
        gate.process(buffer.block(frames));
        last = buffer.channel(0)[frames - 1];
    }
    return 20.0 * std::log10(std::abs(last) / amplitude);
}

using RateAndBlock = std::tuple<double, uint32_t>;
class GateEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(GateEffectAt, ClosedAttenuationEqualsRangeWithin05Db) {
    const auto [rate, block] = GetParam();
    double worst = 0.0;
    for (const float range : {-6.0f, -20.0f, -60.0f, -80.0f, -90.0f}) {
        GateEffect gate;
        gate.parameters().set(GateEffect::kThresholdDb, -40.0f);
        gate.parameters().set(GateEffect::kRangeDb, range);
        gate.prepare({rate, block, 2});
        uint64_t phase = 0;
        EXPECT_NEAR(runSquare(gate, block, rate, -20.0, 0.1, phase), 0.0, 0.01);  // opens
        // Below the close threshold for longer than hold (50 ms) + release (150 ms).
        const double closed = runSquare(gate, block, rate, -70.0, 0.5, phase);
        EXPECT_NEAR(closed, range, 0.5);
        worst = std::max(worst, std::abs(closed - range));
        EXPECT_FALSE(gate.isOpen());
    }
    RecordProperty("worst_range_error_db", std::to_string(worst));
}

TEST_P(GateEffectAt, GainReductionOutputEqualsTheAttenuationApplied) {
    const auto [rate, block] = GetParam();
    GateEffect gate;
    gate.parameters().set(GateEffect::kThresholdDb, -40.0f);
    gate.parameters().set(GateEffect::kRangeDb, -30.0f);
    gate.prepare({rate, block, 2});
    uint64_t phase = 0;
    const double open = runSquare(gate, block, rate, -20.0, 0.1, phase);
    EXPECT_NEAR(gate.outputs().get(GateEffect::kGainReductionOutput), -open, 0.1);
    const double closed = runSquare(gate, block, rate, -70.0, 0.5, phase);
    EXPECT_NEAR(gate.outputs().get(GateEffect::kGainReductionOutput), -closed, 0.1);
    EXPECT_NEAR(gate.outputs().get(GateEffect::kGainReductionOutput), 30.0, 0.5);
}

TEST_P(GateEffectAt, LevelBetweenCloseAndOpenThresholdsKeepsThePreviousState) {
    const auto [rate, block] = GetParam();
    GateEffect gate;
    auto& p = gate.parameters();
    p.set(GateEffect::kThresholdDb, -30.0f);  // opens at -30 dB
    p.set(GateEffect::kHysteresisDb, 10.0f);  // closes below -40 dB
    p.set(GateEffect::kHoldMs, 10.0f);
    p.set(GateEffect::kReleaseMs, 20.0f);
    p.set(GateEffect::kRangeDb, -60.0f);
    gate.prepare({rate, block, 2});
    uint64_t phase = 0;

    // Closed, then a level in the band: stays closed.
    EXPECT_NEAR(runSquare(gate, block, rate, -60.0, 0.2, phase), -60.0, 0.5);
    EXPECT_NEAR(runSquare(gate, block, rate, -35.0, 0.5, phase), -60.0, 0.5);
    EXPECT_FALSE(gate.isOpen());
    // Just above the open threshold: opens.
    EXPECT_NEAR(runSquare(gate, block, rate, -29.0, 0.1, phase), 0.0, 0.01);
    EXPECT_TRUE(gate.isOpen());
    // Back into the band, for far longer than hold + release: stays open.
    EXPECT_NEAR(runSquare(gate, block, rate, -39.0, 0.5, phase), 0.0, 0.01);
    EXPECT_TRUE(gate.isOpen());
    // Just below the close threshold: closes.
    EXPECT_NEAR(runSquare(gate, block, rate, -41.0, 0.5, phase), -60.0, 0.5);
    EXPECT_FALSE(gate.isOpen());
}

TEST_P(GateEffectAt, HoldKeepsTheGateOpenAfterTheLevelDrops) {
    const auto [rate, block] = GetParam();
    for (const float holdMs : {0.0f, 200.0f}) {
        GateEffect gate;
        auto& p = gate.parameters();
        p.set(GateEffect::kThresholdDb, -30.0f);
        p.set(GateEffect::kHysteresisDb, 0.0f);
        p.set(GateEffect::kHoldMs, holdMs);
        gate.prepare({rate, block, 2});
        uint64_t phase = 0;
        runSquare(gate, block, rate, -10.0, 0.05, phase);
        // After the drop the detector (20 ms time constant) needs 20 ms * ln(10) = 46 ms to
        // fall the 20 dB to the threshold; the hold starts there and ends at 246 ms.
        runSquare(gate, block, rate, -70.0, 0.2, phase);
        EXPECT_EQ(gate.isOpen(), holdMs > 0.0f) << "hold " << holdMs;
        runSquare(gate, block, rate, -70.0, 0.1, phase);
        EXPECT_FALSE(gate.isOpen()) << "hold " << holdMs;
    }
}

TEST_P(GateEffectAt, DetectionIsStereoLinked) {
    const auto [rate, block] = GetParam();
    GateEffect gate;  // threshold -50 dB, range -80 dB
    gate.prepare({rate, block, 2});
    AudioBuffer buffer(2, block);
    // Left well above the threshold, right far below it: linked, both channels stay open.
    for (int b = 0; b < static_cast<int>(0.3 * rate / block) + 1; ++b) {
        std::fill_n(buffer.channel(0), block, 0.1f);
        std::fill_n(buffer.channel(1), block, 1e-5f);
        gate.process(buffer.block());
    }
    EXPECT_FLOAT_EQ(buffer.channel(0)[block - 1], 0.1f);
    EXPECT_FLOAT_EQ(buffer.channel(1)[block - 1], 1e-5f);
}

TEST_P(GateEffectAt, RandomSettingsEveryBlockStayFiniteAndNeverClick) {
    const auto [rate, block] = GetParam();
    GateEffect gate;
    gate.prepare({rate, block, 2});
    std::mt19937 rng(99);
    // Noise whose level wanders over 60 dB so the gate keeps opening and closing.
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    std::uniform_real_distribution<float> levelDb(-70.0f, -10.0f);

    // Bound, per sample: y = g x with g = r + (1 - r) o in [r, 1], r the range gain, o the
    // openness, which moves linearly by at most 1 / (attack or release frames) per sample; r
    // ramps linearly in dB over 20 ms, at most 90 dB / ramp per sample, so
    //   |g[n] - g[n-1]| <= |o step| + (10^(90 / ramp / 20) - 1)
    //   |y[n] - y[n-1]| <= |x[n] - x[n-1]| + |x[n-1]| |g[n] - g[n-1]|.
    const double ramp = std::floor(rate * GateEffect::kRampSeconds);
    const double rangeStep = std::pow(10.0, 90.0 / ramp / 20.0) - 1.0;
    float level = 0.01f;
    test::expectGainMovesNoFasterThanAllowed(
        gate, block, static_cast<int>(10.0 * rate / block), 1.0, 1e-6,
        [&](int b, AudioBuffer& buffer) {
            test::randomiseParameters(gate.parameters(), rng);
            const auto& p = gate.parameters();
            const double fastest =
                std::min(p.get(GateEffect::kAttackMs), p.get(GateEffect::kReleaseMs));
            if (b % std::max(1, static_cast<int>(0.05 * rate / block)) == 0) {
                level = std::pow(10.0f, levelDb(rng) / 20.0f);
            }
            for (uint32_t i = 0; i < block; ++i) {
                buffer.channel(0)[i] = level * noise(rng);
                buffer.channel(1)[i] = level * noise(rng);
            }
            return 1.0 / (fastest * 1e-3 * rate) + rangeStep;
        });
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, GateEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(GateEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = GateEffect::staticInfo();
    EXPECT_EQ(info.typeId, "gate");
    EXPECT_NE(EffectFactory::create("gate"), nullptr);
    const test::ExpectedParameter expected[] = {
        {"threshold_db", -90.0f, 0.0f, -50.0f}, {"hysteresis_db", 0.0f, 20.0f, 4.0f},
        {"attack_ms", 0.1f, 50.0f, 1.0f},       {"hold_ms", 0.0f, 500.0f, 50.0f},
        {"release_ms", 5.0f, 2000.0f, 150.0f},  {"range_db", -90.0f, 0.0f, -80.0f},
    };
    test::expectParameters(info, expected);
}

}  // namespace
}  // namespace liverack::core
