// TruePeakMeter against theory (the true peak of a sine is its amplitude, whatever the phase its
// samples miss the crests by; it is never below the sample peak) and against libebur128's own
// true-peak measurement, at 44.1, 48 and 96 kHz.
#include "core/analysis/TruePeakMeter.h"

#include <ebur128.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <numbers>
#include <random>
#include <vector>

namespace liverack::core {
namespace {

constexpr double kRates[] = {44100.0, 48000.0, 96000.0};

// A sine of `amplitude` at `hz` and `phase`, faded in over 50 ms (a switched-on sine's transient
// overshoots in any band-limited reconstruction).
std::vector<float> sine(double rate, double hz, double phase, double amplitude, double seconds) {
    std::vector<float> x(static_cast<size_t>(seconds * rate));
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / rate;
        const double fade = t < 0.05 ? 0.5 - 0.5 * std::cos(std::numbers::pi * t / 0.05) : 1.0;
        x[i] =
            static_cast<float>(fade * amplitude * std::sin(2 * std::numbers::pi * hz * t + phase));
    }
    return x;
}

double measureDb(double rate, const std::vector<float>& x, double reference) {
    TruePeakMeter meter;
    EXPECT_TRUE(meter.prepare(rate, 1).ok());
    const float* channels[1] = {x.data()};
    meter.process(channels, static_cast<uint32_t>(x.size()));
    return 20.0 * std::log10(meter.peak(0) / reference);
}

double libebur128TruePeak(double rate, const std::vector<float>& interleaved, uint32_t channels) {
    std::unique_ptr<ebur128_state, void (*)(ebur128_state*)> state(
        ebur128_init(channels, static_cast<unsigned long>(rate), EBUR128_MODE_TRUE_PEAK),
        [](ebur128_state* s) { ebur128_destroy(&s); });
    ebur128_add_frames_float(state.get(), interleaved.data(), interleaved.size() / channels);
    double highest = 0.0;
    for (uint32_t c = 0; c < channels; ++c) {
        double peak = 0.0;
        ebur128_true_peak(state.get(), c, &peak);
        highest = std::max(highest, peak);
    }
    return highest;
}

}  // namespace

// Tech 3341 cases 15-18 (fs/4, fs/6, fs/8 whose samples miss the crests by a chosen phase) and a
// sweep of phases at frequencies to three quarters of Nyquist: the sine's amplitude, within
// +0.05 / -0.2 dB (BS.1770-4 allows +0.2 / -0.4 for these).
TEST(TruePeakMeterTest, ASinesTruePeakIsItsAmplitudeWhateverItsSamplesMiss) {
    for (double rate : kRates) {
        struct Case {
            double hz;
            double phaseDegrees;
        };
        std::vector<Case> cases = {
            {rate / 4, 0.0}, {rate / 4, 45.0}, {rate / 6, 60.0}, {rate / 8, 67.5}};
        for (double hz = 100.0; hz < 0.75 * rate / 2; hz *= 1.7) {
            cases.push_back({hz, 37.0});
        }
        for (const Case& c : cases) {
            const double db = measureDb(
                rate, sine(rate, c.hz, c.phaseDegrees * std::numbers::pi / 180.0, 0.5, 0.3), 0.5);
            EXPECT_LE(db, 0.05) << rate << " Hz rate, " << c.hz << " Hz sine";
            EXPECT_GE(db, -0.2) << rate << " Hz rate, " << c.hz << " Hz sine";
        }
    }
}

TEST(TruePeakMeterTest, NeverBelowTheSamplePeakAndAgreesWithLibebur128OnNoise) {
    for (double rate : kRates) {
        std::mt19937 random(7);
        std::normal_distribution<float> noise(0.0f, 0.1f);
        const size_t frames = static_cast<size_t>(rate * 2);
        std::vector<float> left(frames), right(frames), interleaved(2 * frames);
        float samplePeak = 0.0f;
        for (size_t i = 0; i < frames; ++i) {
            left[i] = noise(random);
            right[i] = 0.5f * noise(random);
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = right[i];
            samplePeak = std::max({samplePeak, std::fabs(left[i]), std::fabs(right[i])});
        }
        TruePeakMeter meter;
        ASSERT_TRUE(meter.prepare(rate, 2).ok());
        const float* channels[2] = {left.data(), right.data()};
        meter.process(channels, static_cast<uint32_t>(frames));
        const double ours = std::max(meter.peak(0), meter.peak(1));
        EXPECT_GE(ours, samplePeak) << rate;
        const double theirs = libebur128TruePeak(rate, interleaved, 2);
        // Oversampling 8x finds crests at least as high as libebur128's 4x (and up to a few tenths
        // of a dB higher in white noise, whose crests 4x can fall between).
        EXPECT_GE(20 * std::log10(ours), 20 * std::log10(theirs) - 0.05) << rate;
        EXPECT_LE(20 * std::log10(ours), 20 * std::log10(theirs) + 0.2) << rate;
    }
}

TEST(TruePeakMeterTest, ChunkSizesDoNotChangeTheReading) {
    const std::vector<float> x = sine(48000.0, 11025.0, 0.3, 0.8, 0.5);
    TruePeakMeter whole;
    ASSERT_TRUE(whole.prepare(48000.0, 1).ok());
    const float* all[1] = {x.data()};
    whole.process(all, static_cast<uint32_t>(x.size()));
    for (uint32_t chunk : {1u, 7u, 1000u, 5000u}) {
        TruePeakMeter pieces;
        ASSERT_TRUE(pieces.prepare(48000.0, 1).ok());
        for (size_t at = 0; at < x.size(); at += chunk) {
            const float* part[1] = {x.data() + at};
            pieces.process(part, static_cast<uint32_t>(std::min<size_t>(chunk, x.size() - at)));
        }
        EXPECT_EQ(pieces.peak(0), whole.peak(0)) << chunk;
    }
}

// At 192 kHz too (where BS.1770-4 would not oversample) the reading is at least the sample peak,
// and a level reached slowly reads that level.
TEST(TruePeakMeterTest, AtLeastTheSamplePeakAndALevelReachedSlowlyReadsThatLevel) {
    TruePeakMeter meter;
    ASSERT_TRUE(meter.prepare(192000.0, 2).ok());
    std::vector<float> spikes(500, 0.0f);
    spikes[100] = 0.1f;
    spikes[200] = -0.7f;
    spikes[300] = 0.3f;
    const float* channels[2] = {spikes.data(), spikes.data()};
    meter.process(channels, 500);
    EXPECT_GE(meter.peak(0), double(0.7f));
    EXPECT_GE(meter.peak(1), double(0.7f));
    // A level reached slowly (no step to ring) reads exactly that level.
    TruePeakMeter settled;
    ASSERT_TRUE(settled.prepare(48000.0, 1).ok());
    std::vector<float> ramp(48000);
    for (size_t i = 0; i < ramp.size(); ++i) {
        ramp[i] = -0.25f * static_cast<float>(std::min(1.0, double(i) / 24000.0));
    }
    const float* one[1] = {ramp.data()};
    settled.process(one, static_cast<uint32_t>(ramp.size()));
    EXPECT_NEAR(settled.peak(0), 0.25, 1e-4);
}

TEST(TruePeakMeterTest, ResetForgetsAndBadFormatsAreRefusedWithASentence) {
    TruePeakMeter meter;
    ASSERT_TRUE(meter.prepare(48000.0, 1).ok());
    const std::vector<float> x = sine(48000.0, 1000.0, 0.0, 0.9, 0.2);
    const float* channels[1] = {x.data()};
    meter.process(channels, static_cast<uint32_t>(x.size()));
    EXPECT_GT(meter.peak(0), 0.89);
    meter.reset();
    EXPECT_EQ(meter.peak(0), 0.0);
    const Status bad = meter.prepare(1000.0, 2);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("1000"), std::string::npos);
    EXPECT_FALSE(meter.prepare(48000.0, 0).ok());
}

}  // namespace liverack::core
