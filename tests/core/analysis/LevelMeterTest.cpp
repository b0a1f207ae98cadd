// LevelMeter against theory: a sine of amplitude A has sample peak A and RMS A/sqrt(2); the hold
// keeps a peak 2 s and then falls at 20 dB/s; clips latch until reset. At 44.1, 48 and 96 kHz and
// several block sizes.
#include "core/analysis/LevelMeter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/core/analysis/AnalysisTestSignals.h"

namespace liverack::core {
namespace {

constexpr double kRates[] = {44100.0, 48000.0, 96000.0};
constexpr uint32_t kBlockSizes[] = {1, 64, 480, 1000, 4096};

// Feeds a mono signal to every channel of the meter in blocks of blockFrames.
void feed(LevelMeter& meter, const std::vector<float>& x, uint32_t blockFrames) {
    const uint32_t channels = meter.channelCount();
    std::vector<const float*> pointers(channels);
    for (size_t done = 0; done < x.size();) {
        const auto count = static_cast<uint32_t>(std::min<size_t>(blockFrames, x.size() - done));
        for (auto& p : pointers) {
            p = x.data() + done;
        }
        meter.process(pointers.data(), count);
        done += count;
    }
}

TEST(LevelMeterTest, SinePeakIsTwentyLogAmplitudeAndRmsIsAmplitudeOverRootTwo) {
    for (double rate : kRates) {
        for (uint32_t block : kBlockSizes) {
            for (double amplitude : {1.0, 0.5, 0.01}) {
                LevelMeter meter;
                meter.prepare(rate, 2);
                // 997 Hz is not a divisor of any rate here, so the samples visit every phase and
                // the sample peak reaches the amplitude within 0.01 dB.
                feed(meter, testsignals::sine(997.0, amplitude, rate, size_t(rate)), block);
                for (uint32_t c = 0; c < 2; ++c) {
                    const ChannelLevel level = meter.level(c);
                    EXPECT_NEAR(level.peakDb, 20.0 * std::log10(amplitude), 0.01)
                        << rate << " Hz, block " << block;
                    EXPECT_NEAR(level.rmsDb, 20.0 * std::log10(amplitude / std::sqrt(2.0)), 0.05)
                        << rate << " Hz, block " << block;
                }
            }
        }
    }
}

TEST(LevelMeterTest, SilenceReadsMinusInfinity) {
    LevelMeter meter;
    meter.prepare(48000.0, 1);
    feed(meter, std::vector<float>(48000, 0.0f), 512);
    const ChannelLevel level = meter.level(0);
    EXPECT_TRUE(std::isinf(level.peakDb) && level.peakDb < 0);
    EXPECT_TRUE(std::isinf(level.rmsDb) && level.rmsDb < 0);
    EXPECT_TRUE(std::isinf(level.peakHoldDb) && level.peakHoldDb < 0);
    EXPECT_EQ(level.clipCount, 0u);
}

TEST(LevelMeterTest, RmsAndPeakCoverTheLast300Milliseconds) {
    for (double rate : kRates) {
        LevelMeter meter;
        meter.prepare(rate, 1);
        // Half the window of tone after silence: the mean square is half the tone's (-3.01 dB).
        std::vector<float> x(size_t(rate), 0.0f);
        const auto tone = testsignals::sine(997.0, 0.5, rate, size_t(rate * 0.15));
        x.insert(x.end(), tone.begin(), tone.end());
        feed(meter, x, 256);
        EXPECT_NEAR(meter.level(0).rmsDb, 20.0 * std::log10(0.5 / std::sqrt(2.0)) - 3.0103, 0.1);
        // 300 ms (+ one 10 ms step) of silence later, the window no longer holds the tone.
        feed(meter, std::vector<float>(size_t(rate * 0.31), 0.0f), 256);
        EXPECT_TRUE(std::isinf(meter.level(0).rmsDb));
        EXPECT_TRUE(std::isinf(meter.level(0).peakDb));
    }
}

TEST(LevelMeterTest, PeakHoldHoldsTwoSecondsThenFallsTwentyDbPerSecond) {
    for (double rate : kRates) {
        for (uint32_t block : {1u, 256u, 1000u}) {
            LevelMeter meter;
            meter.prepare(rate, 1);
            // One sample at 0.5 (-6.02 dBFS), then silence; the hold's age counts from it.
            std::vector<float> impulse(1000, 0.0f);
            impulse[500] = 0.5f;
            feed(meter, impulse, block);
            const double peakDb = 20.0 * std::log10(0.5);
            size_t age = 1000 - 500 - 1;  // samples since the peak, at the end of what was fed
            auto advanceTo = [&](double seconds) {
                const auto target = static_cast<size_t>(std::llround(seconds * rate));
                feed(meter, std::vector<float>(target - age, 0.0f), block);
                age = target;
            };
            advanceTo(1.0);
            EXPECT_NEAR(meter.level(0).peakHoldDb, peakDb, 1e-4) << "held at 1 s";
            advanceTo(1.999);
            EXPECT_NEAR(meter.level(0).peakHoldDb, peakDb, 1e-4) << "held at 1.999 s";
            advanceTo(2.5);
            EXPECT_NEAR(meter.level(0).peakHoldDb, peakDb - 10.0, 0.01) << "falling at 2.5 s";
            advanceTo(3.0);
            EXPECT_NEAR(meter.level(0).peakHoldDb, peakDb - 20.0, 0.01) << "falling at 3 s";
        }
    }
}

TEST(LevelMeterTest, LouderPeakRestartsTheHold) {
    LevelMeter meter;
    meter.prepare(48000.0, 1);
    std::vector<float> x(48000 * 3, 0.0f);
    x[0] = 0.25f;
    x[48000 * 2] = 0.5f;  // at 2 s, louder: the hold jumps and holds 2 s from here
    feed(meter, x, 512);  // ends 1 s after the second peak
    EXPECT_NEAR(meter.level(0).peakHoldDb, 20.0 * std::log10(0.5), 1e-4);
}

TEST(LevelMeterTest, ClipsAtOrAboveFullScaleLatchUntilReset) {
    LevelMeter meter;
    meter.prepare(48000.0, 2);
    std::vector<float> left(48000, 0.0f);
    std::vector<float> right(48000, 0.0f);
    left[10] = 1.0f;    // exactly full scale counts
    left[20] = -1.2f;   // so does beyond it, either sign
    left[30] = 0.999f;  // below does not
    right[40] = -1.0f;
    const float* pointers[2] = {left.data(), right.data()};
    meter.process(pointers, 48000);
    EXPECT_EQ(meter.level(0).clipCount, 2u);
    EXPECT_EQ(meter.level(1).clipCount, 1u);
    // Ten seconds of silence: still latched.
    std::vector<float> silence(48000, 0.0f);
    const float* quiet[2] = {silence.data(), silence.data()};
    for (int i = 0; i < 10; ++i) {
        meter.process(quiet, 48000);
    }
    EXPECT_EQ(meter.level(0).clipCount, 2u);
    meter.resetClips();
    EXPECT_EQ(meter.level(0).clipCount, 0u);
    EXPECT_EQ(meter.level(1).clipCount, 0u);
}

TEST(LevelMeterTest, ResetPeakHoldForgetsTheHeldPeak) {
    LevelMeter meter;
    meter.prepare(48000.0, 1);
    std::vector<float> x(48000, 0.0f);
    x[100] = 0.5f;
    feed(meter, x, 512);
    meter.resetPeakHold();
    EXPECT_TRUE(std::isinf(meter.level(0).peakHoldDb));
}

}  // namespace
}  // namespace liverack::core
