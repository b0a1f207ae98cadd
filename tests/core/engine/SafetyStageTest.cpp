// SafetyStage: whatever the chain produces, the device gets finite samples within ±1, and level
// changes at start/stop are ramps, never steps.
#include "core/engine/SafetyStage.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <limits>

#include "core/dsp/AudioBuffer.h"

namespace liverack::core {
namespace {

TEST(SafetyStageTest, NonFiniteSamplesBecomeSilenceAndAreCounted) {
    SafetyStage safety;
    safety.prepare({48000.0, 8, 2});
    safety.fadeIn();
    AudioBuffer buffer(2, 8);
    for (int warm = 0; warm < 1000; ++warm) {  // past the fade-in
        buffer.block().clear();
        safety.process(buffer.block());
    }
    std::fill_n(buffer.channel(0), 8, 0.5f);
    std::fill_n(buffer.channel(1), 8, 0.5f);
    buffer.channel(0)[1] = std::numeric_limits<float>::quiet_NaN();
    buffer.channel(0)[2] = std::numeric_limits<float>::infinity();
    buffer.channel(1)[3] = -std::numeric_limits<float>::infinity();
    const auto counts = safety.process(buffer.block());
    EXPECT_EQ(counts.nonFinite, 3u);
    for (uint32_t c = 0; c < 2; ++c) {
        for (uint32_t i = 0; i < 8; ++i) {
            EXPECT_TRUE(std::isfinite(buffer.channel(c)[i]));
        }
    }
    EXPECT_EQ(buffer.channel(0)[1], 0.0f);
    EXPECT_EQ(buffer.channel(0)[0], 0.5f);
}

TEST(SafetyStageTest, OutputIsClampedToUnitAndClipsAreCounted) {
    SafetyStage safety;
    safety.prepare({44100.0, 4, 1});
    safety.fadeIn();
    AudioBuffer buffer(1, 4);
    for (int warm = 0; warm < 1000; ++warm) {
        safety.process(buffer.block());
    }
    buffer.channel(0)[0] = 3.0f;
    buffer.channel(0)[1] = -7.0f;
    buffer.channel(0)[2] = 1.0f;
    buffer.channel(0)[3] = 0.25f;
    const auto counts = safety.process(buffer.block());
    EXPECT_EQ(counts.clipped, 2u);
    EXPECT_EQ(buffer.channel(0)[0], 1.0f);
    EXPECT_EQ(buffer.channel(0)[1], -1.0f);
    EXPECT_EQ(buffer.channel(0)[2], 1.0f);
    EXPECT_EQ(buffer.channel(0)[3], 0.25f);
}

class SafetyStageAtRate : public ::testing::TestWithParam<double> {};

TEST_P(SafetyStageAtRate, FadeInRisesLinearlyOverTheFadeTimeFromSilence) {
    const double rate = GetParam();
    SafetyStage safety;
    safety.prepare({rate, 64, 1});
    EXPECT_TRUE(safety.isSilent());
    safety.fadeIn();
    const double fadeSamples = rate * SafetyStage::kFadeInSeconds;
    const float maxStep = static_cast<float>(1.0 / fadeSamples) * 1.001f;
    AudioBuffer buffer(1, 64);
    float previous = 0.0f;
    int samples = 0;
    while (!safety.isFullyOpen()) {
        std::fill_n(buffer.channel(0), 64, 1.0f);  // DC of 1: the output is the gain itself
        safety.process(buffer.block());
        for (uint32_t i = 0; i < 64; ++i) {
            ASSERT_LE(buffer.channel(0)[i] - previous, maxStep);
            ASSERT_GE(buffer.channel(0)[i], previous);
            previous = buffer.channel(0)[i];
        }
        samples += 64;
        ASSERT_LT(samples, fadeSamples + 128) << "fade-in did not finish in time";
    }
    EXPECT_GE(samples, fadeSamples - 1);
    safety.fadeOut();
    while (!safety.isSilent()) {
        std::fill_n(buffer.channel(0), 64, 1.0f);
        safety.process(buffer.block());
        samples += 64;
    }
    EXPECT_EQ(buffer.channel(0)[63], 0.0f);
}

// Feeds DC of 1 (so the output is the gain itself) until the fade-in is complete; returns the
// number of samples it took, after checking that the gain at sample n is n / fade samples.
int64_t samplesToOpen(SafetyStage& safety, double fadeSamples) {
    AudioBuffer buffer(1, 256);
    int64_t n = 0;
    while (!safety.isFullyOpen()) {
        std::fill_n(buffer.channel(0), 256, 1.0f);
        safety.process(buffer.block());
        for (uint32_t i = 0; i < 256; ++i) {
            ++n;
            const double theory = std::min(1.0, static_cast<double>(n) / fadeSamples);
            // Exact but for the output's float rounding, even after 480 000 steps.
            EXPECT_NEAR(buffer.channel(0)[i], theory, 1e-6) << "sample " << n;
            if (::testing::Test::HasFailure()) {
                return n;
            }
        }
        if (n > static_cast<int64_t>(fadeSamples) + 512) {
            ADD_FAILURE() << "fade-in did not finish after " << n << " samples";
            return n;
        }
    }
    return n;
}

TEST_P(SafetyStageAtRate, LongFadeInRisesLinearlyOverTheTimeAskedForThenSwapFadesAreShortAgain) {
    const double rate = GetParam();
    SafetyStage safety;
    safety.prepare({rate, 256, 1});
    safety.fadeIn(1.5);  // a restored session
    const int64_t slow = samplesToOpen(safety, rate * 1.5);
    EXPECT_GE(slow, static_cast<int64_t>(rate * 1.5) - 1);
    // A chain swap afterwards: fades out and in at the default speed, not the long one.
    safety.fadeOut();
    AudioBuffer buffer(1, 256);
    while (!safety.isSilent()) {
        safety.process(buffer.block());
    }
    safety.fadeIn();
    const int64_t fast = samplesToOpen(safety, rate * SafetyStage::kFadeInSeconds);
    EXPECT_LE(fast, static_cast<int64_t>(rate * SafetyStage::kFadeInSeconds) + 256);
}

TEST(SafetyStageTest, AHeldFadeInStaysSilentForTheHoldThenRisesAsUsual) {
    SafetyStage safety;
    safety.prepare({48000.0, 256, 1});
    safety.fadeIn(SafetyStage::kFadeInSeconds, 1000);
    AudioBuffer buffer(1, 256);
    int64_t n = 0;
    const double fadeSamples = 48000.0 * SafetyStage::kFadeInSeconds;
    while (n < 1000 + static_cast<int64_t>(fadeSamples) + 256) {
        std::fill_n(buffer.channel(0), 256, 1.0f);
        safety.process(buffer.block());
        for (uint32_t i = 0; i < 256; ++i, ++n) {
            const double theory = std::clamp((n - 999.0) / fadeSamples, 0.0, 1.0);
            ASSERT_NEAR(buffer.channel(0)[i], theory, 1e-6) << "sample " << n;
        }
    }
    // Asked while audio already plays, a hold is no gap: the output keeps going.
    safety.fadeIn(SafetyStage::kFadeInSeconds, 1000);
    std::fill_n(buffer.channel(0), 256, 1.0f);
    safety.process(buffer.block());
    EXPECT_EQ(buffer.channel(0)[0], 1.0f);
}

TEST(SafetyStageTest, FadeInLengthsOutsideTheRangeAreClampedNeverInstant) {
    const double rate = 48000.0;
    for (const double asked :
         {0.0, -1.0, 1e-9, std::nan(""), std::numeric_limits<double>::infinity()}) {
        SafetyStage safety;
        safety.prepare({rate, 256, 1});
        safety.fadeIn(asked);
        EXPECT_GE(samplesToOpen(safety, rate * SafetyStage::kFadeInSeconds),
                  static_cast<int64_t>(rate * SafetyStage::kFadeInSeconds) - 1)
            << "asked " << asked;
    }
    SafetyStage safety;
    safety.prepare({rate, 256, 1});
    safety.fadeIn(100.0);
    EXPECT_GE(samplesToOpen(safety, rate * SafetyStage::kMaxFadeInSeconds),
              static_cast<int64_t>(rate * SafetyStage::kMaxFadeInSeconds) - 1);
}

INSTANTIATE_TEST_SUITE_P(Rates, SafetyStageAtRate, ::testing::Values(44100.0, 48000.0, 96000.0));

}  // namespace
}  // namespace liverack::core
