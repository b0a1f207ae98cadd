// CompressorEffect: once settled the gain follows the textbook soft-knee static curve
// (Giannoulis, Massberg and Reiss, JAES 2012), attack and release are one-pole time constants
// in dB, detection is stereo-linked, and random settings every block never click.
#include "core/dsp/effects/CompressorEffect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "tests/support/EffectTestSupport.h"
#include "tests/support/PassThroughCheck.h"
#include "tests/support/RandomParameters.h"

namespace liverack::core {
namespace {

// Textbook static curve, written out independently of the effect: output level for an input
// level, all in dB (Giannoulis et al., eq. 4).
double textbookOutputDb(double x, double t, double r, double w) {
    if (2.0 * (x - t) < -w) {
        return x;
    }
    if (w > 0.0 && 2.0 * std::abs(x - t) <= w) {  // with no knee the branches meet at t
        return x + (1.0 / r - 1.0) * (x - t + w / 2.0) * (x - t + w / 2.0) / (2.0 * w);
    }
    return t + (x - t) / r;
}

// A square wave: |x| is the same every sample, so peak and RMS detectors both read its
// amplitude exactly and the static curve can be checked without detector ripple.
void fillSquare(AudioBuffer& buffer, uint32_t frames, float amplitude, uint64_t& phase) {
    for (uint32_t i = 0; i < frames; ++i, ++phase) {
        const float s = (phase / 24) % 2 == 0 ? amplitude : -amplitude;
        for (uint32_t c = 0; c < buffer.channelCount(); ++c) {
            buffer.channel(c)[i] = s;
        }
    }
}

// Runs `seconds` of a square wave at `levelDb` and returns the gain (dB) of every sample.
std::vector<double> runSquare(CompressorEffect& comp, uint32_t block, double rate, double levelDb,
                              double seconds, uint64_t& phase) {
    const auto amplitude = static_cast<float>(std::pow(10.0, levelDb / 20.0));
    AudioBuffer buffer(2, block);
    std::vector<double> gains;
    const auto total = static_cast<size_t>(seconds * rate);
    while (gains.size() < total) {
        const auto frames = static_cast<uint32_t>(std::min<size_t>(block, total - gains.size()));
        fillSquare(buffer, frames, amplitude, phase);
        comp.process(buffer.block(frames));
        for (uint32_t i = 0; i < frames; ++i) {
            gains.push_back(20.0 * std::log10(std::abs(buffer.channel(0)[i]) / amplitude));
        }
    }
    return gains;
}

using RateAndBlock = std::tuple<double, uint32_t>;
class CompressorEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(CompressorEffectAt, SettledGainFollowsTheSoftKneeStaticCurveWithin03Db) {
    const auto [rate, block] = GetParam();
    struct Setting {
        float threshold, ratio, knee, makeup;
    };
    const Setting settings[] = {
        {-20.0f, 4.0f, 0.0f, 0.0f},
        {-30.0f, 8.0f, 12.0f, 6.0f},
        {-10.0f, 2.0f, 24.0f, 0.0f},
        {-40.0f, 20.0f, 6.0f, 12.0f},
    };
    double worst = 0.0;
    for (const int detector : {CompressorEffect::kPeak, CompressorEffect::kRms}) {
        for (const Setting& s : settings) {
            CompressorEffect comp;
            auto& p = comp.parameters();
            p.set(CompressorEffect::kThresholdDb, s.threshold);
            p.set(CompressorEffect::kRatio, s.ratio);
            p.set(CompressorEffect::kKneeDb, s.knee);
            p.set(CompressorEffect::kMakeupDb, s.makeup);
            p.set(CompressorEffect::kAttackMs, 1.0f);  // settles in well under 100 ms
            p.set(CompressorEffect::kReleaseMs, 5.0f);
            p.set(CompressorEffect::kDetector, static_cast<float>(detector));
            comp.prepare({rate, block, 2});
            uint64_t phase = 0;
            for (double level = -60.0; level <= 0.0; level += 2.0) {
                const auto gains = runSquare(comp, block, rate, level, 0.15, phase);
                const double expected =
                    textbookOutputDb(level, s.threshold, s.ratio, s.knee) - level + s.makeup;
                EXPECT_NEAR(gains.back(), expected, 0.3)
                    << "detector " << detector << ", threshold " << s.threshold << ", ratio "
                    << s.ratio << ", knee " << s.knee << ", level " << level;
                worst = std::max(worst, std::abs(gains.back() - expected));
            }
        }
    }
    RecordProperty("worst_static_curve_error_db", std::to_string(worst));
}

TEST_P(CompressorEffectAt, GainReductionOutputEqualsTheReductionAppliedOnASteadyTone) {
    // What the rack card and panel show: the reduction the effect applies to the signal, read
    // from the signal itself, within 0.1 dB; and the detector level it reports.
    const auto [rate, block] = GetParam();
    for (const int detector : {CompressorEffect::kPeak, CompressorEffect::kRms}) {
        CompressorEffect comp;
        auto& p = comp.parameters();
        p.set(CompressorEffect::kThresholdDb, -30.0f);
        p.set(CompressorEffect::kRatio, 4.0f);
        p.set(CompressorEffect::kKneeDb, 6.0f);
        p.set(CompressorEffect::kAttackMs, 1.0f);
        p.set(CompressorEffect::kReleaseMs, 5.0f);
        p.set(CompressorEffect::kDetector, static_cast<float>(detector));
        comp.prepare({rate, block, 2});
        uint64_t phase = 0;
        for (const double level : {-40.0, -29.0, -20.0, -6.0}) {
            const auto gains = runSquare(comp, block, rate, level, 0.15, phase);
            const float reported = comp.outputs().get(CompressorEffect::kGainReductionOutput);
            EXPECT_NEAR(reported, -gains.back(), 0.1) << "level " << level;
            EXPECT_NEAR(reported, level - textbookOutputDb(level, -30.0, 4.0, 6.0), 0.3);
            EXPECT_NEAR(comp.outputs().get(CompressorEffect::kDetectorLevelOutput), level, 0.1);
        }
    }
}

TEST_P(CompressorEffectAt, AttackAndReleaseTimeConstantsMatchParametersWithin10Percent) {
    const auto [rate, block] = GetParam();
    double worstRelative = 0.0;
    for (const float attackMs : {1.0f, 10.0f, 50.0f}) {
        for (const float releaseMs : {20.0f, 200.0f}) {
            CompressorEffect comp;
            auto& p = comp.parameters();
            p.set(CompressorEffect::kThresholdDb, -40.0f);
            p.set(CompressorEffect::kRatio, 20.0f);
            p.set(CompressorEffect::kKneeDb, 0.0f);
            p.set(CompressorEffect::kAttackMs, attackMs);
            p.set(CompressorEffect::kReleaseMs, releaseMs);
            comp.prepare({rate, block, 2});
            uint64_t phase = 0;
            runSquare(comp, block, rate, -60.0, 0.05, phase);  // below threshold: no reduction
            // Step to -10 dB: the reduction heads for 30 * (1 - 1/20) = 28.5 dB and covers
            // 1 - 1/e of the way after one time constant.
            const double target = 28.5;
            const auto attack =
                runSquare(comp, block, rate, -10.0, 12.0 * attackMs / 1000.0, phase);
            const auto reached = std::find_if(attack.begin(), attack.end(), [&](double g) {
                return -g >= target * (1.0 - std::exp(-1.0));
            });
            ASSERT_NE(reached, attack.end());
            const double attackSeconds = static_cast<double>(reached - attack.begin() + 1) / rate;
            EXPECT_NEAR(attackSeconds * 1000.0, attackMs, 0.1 * attackMs);
            worstRelative = std::max(worstRelative, std::abs(attackSeconds * 1e3 / attackMs - 1));
            ASSERT_NEAR(-attack.back(), target, 0.01);

            // Back below the threshold: the reduction decays to 1/e after one time constant.
            const auto release =
                runSquare(comp, block, rate, -60.0, 3.0 * releaseMs / 1000.0, phase);
            const auto fell = std::find_if(release.begin(), release.end(),
                                           [&](double g) { return -g <= target * std::exp(-1.0); });
            ASSERT_NE(fell, release.end());
            const double releaseSeconds = static_cast<double>(fell - release.begin() + 1) / rate;
            EXPECT_NEAR(releaseSeconds * 1000.0, releaseMs, 0.1 * releaseMs);
            worstRelative = std::max(worstRelative, std::abs(releaseSeconds * 1e3 / releaseMs - 1));
        }
    }
    RecordProperty("worst_time_constant_error", std::to_string(worstRelative));
}

TEST_P(CompressorEffectAt, DetectionIsStereoLinked) {
    const auto [rate, block] = GetParam();
    CompressorEffect comp;
    comp.parameters().set(CompressorEffect::kThresholdDb, -30.0f);
    comp.parameters().set(CompressorEffect::kKneeDb, 0.0f);
    comp.prepare({rate, block, 2});
    AudioBuffer buffer(2, block);
    // Loud left, quiet right: the right channel must get the left channel's reduction.
    for (int b = 0; b < static_cast<int>(0.5 * rate / block) + 1; ++b) {
        std::fill_n(buffer.channel(0), block, 0.5f);
        std::fill_n(buffer.channel(1), block, 0.001f);
        comp.process(buffer.block());
    }
    const double left = 20.0 * std::log10(buffer.channel(0)[block - 1] / 0.5);
    const double right = 20.0 * std::log10(buffer.channel(1)[block - 1] / 0.001);
    const double expected =
        (-30.0 + (20.0 * std::log10(0.5) + 30.0) / 4.0) - 20.0 * std::log10(0.5);
    EXPECT_NEAR(left, expected, 0.3);
    EXPECT_NEAR(right, left, 1e-3);
}

TEST_P(CompressorEffectAt, ZeroMixPassesTheDrySignalUnchanged) {
    const auto [rate, block] = GetParam();
    CompressorEffect comp;
    comp.parameters().set(CompressorEffect::kMix, 0.0f);
    comp.parameters().set(CompressorEffect::kMakeupDb, 12.0f);
    comp.prepare({rate, block, 2});
    ASSERT_TRUE(
        test::passesThroughBitExact([&](AudioBlock audio) { comp.process(audio); }, block, 3));
}

TEST_P(CompressorEffectAt, RandomSettingsEveryBlockStayFiniteAndNeverClick) {
    const auto [rate, block] = GetParam();
    CompressorEffect comp;
    comp.prepare({rate, block, 2});
    auto& p = comp.parameters();
    std::mt19937 rng(2024);
    constexpr float kAmplitude = 0.5f;
    std::uniform_real_distribution<float> noise(-kAmplitude, kAmplitude);

    // Bound, per sample: y = G x with G = 1 - mix + mix * 10^((makeup - reduction) / 20), so
    //   |y[n] - y[n-1]| <= Gmax |x[n] - x[n-1]| + |x[n-1]| |G[n] - G[n-1]|.
    // Gmax = +24 dB (makeup at most, reduction never negative). G moves because
    //  - mix ramps linearly over 20 ms: |d mix| <= 1 / ramp, times |wet - 1| <= Gmax + 1;
    //  - makeup ramps linearly over 20 ms: at most 24 dB / ramp per sample;
    //  - the reduction is a one-pole towards its target: per sample at most
    //    (1 - exp(-1 / (tau fs))) of the distance, tau the faster of this block's attack and
    //    release, the distance at most the largest reduction a 0.5 peak can ask for:
    //    (1 - 1/20) (-6.02 dB + 60 dB + 24 dB / 2) with threshold -60, ratio 20, knee 24;
    // and a wet gain that moves s dB changes by at most Gmax (10^(s/20) - 1).
    const double gMax = std::pow(10.0, 24.0 / 20.0);
    const double ramp = std::floor(rate * CompressorEffect::kRampSeconds);
    const double maxReduction = (1.0 - 1.0 / 20.0) * (20.0 * std::log10(kAmplitude) + 60.0 + 12.0);
    test::expectGainMovesNoFasterThanAllowed(
        comp, block, static_cast<int>(10.0 * rate / block), gMax, 1e-5,
        [&](int, AudioBuffer& buffer) {
            test::randomiseParameters(p, rng);
            const double tau =
                std::min(p.get(CompressorEffect::kAttackMs), p.get(CompressorEffect::kReleaseMs)) *
                1e-3;
            const double stepDb =
                (1.0 - std::exp(-1.0 / (tau * rate))) * maxReduction + 24.0 / ramp;
            for (uint32_t i = 0; i < block; ++i) {
                buffer.channel(0)[i] = noise(rng);
                buffer.channel(1)[i] = noise(rng);
            }
            return gMax * (std::pow(10.0, stepDb / 20.0) - 1.0) + (gMax + 1.0) / ramp;
        });
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, CompressorEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(CompressorEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = CompressorEffect::staticInfo();
    EXPECT_EQ(info.typeId, "compressor");
    EXPECT_NE(EffectFactory::create("compressor"), nullptr);
    const test::ExpectedParameter expected[] = {
        {"threshold_db", -60.0f, 0.0f, -18.0f}, {"ratio", 1.0f, 20.0f, 4.0f},
        {"knee_db", 0.0f, 24.0f, 6.0f},         {"attack_ms", 0.1f, 200.0f, 10.0f},
        {"release_ms", 5.0f, 2000.0f, 100.0f},  {"makeup_db", 0.0f, 24.0f, 0.0f},
        {"detector", 0.0f, 1.0f, 0.0f},         {"mix", 0.0f, 1.0f, 1.0f},
    };
    test::expectParameters(info, expected);
    EXPECT_EQ(info.parameters[CompressorEffect::kDetector].choices,
              (std::vector<std::string>{"peak", "rms"}));
}

}  // namespace
}  // namespace liverack::core
