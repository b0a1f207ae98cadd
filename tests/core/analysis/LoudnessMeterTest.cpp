// LoudnessMeter against the EBU conformance cases that can be synthesised: Tech 3341 (loudness
// of 1 kHz stereo sines, gating, true peak of inter-sample peaks) and Tech 3342 (loudness range),
// at 44.1, 48 and 96 kHz.
#include "core/analysis/LoudnessMeter.h"

#include <ebur128.h>
#include <gtest/gtest.h>

#include <memory>

#include <cmath>
#include <numbers>
#include <vector>

namespace liverack::core {
namespace {

constexpr double kRates[] = {44100.0, 48000.0, 96000.0};

struct Segment {
    double dbfs;  // sine amplitude in dBFS, both channels
    double seconds;
};

// A 1 kHz stereo sine through segments of given level, continuous in phase, in 4096-frame blocks.
// fadeInSeconds ramps the start (raised cosine) so that a switched-on sine's own transient does not
// count as a peak.
void feedSine(LoudnessMeter& meter, double rate, const std::vector<Segment>& segments,
              double hz = 1000.0, double phase = 0.0, double fadeInSeconds = 0.0) {
    std::vector<float> block(4096);
    const float* channels[2] = {block.data(), block.data()};
    size_t n = 0;
    for (const auto& segment : segments) {
        const double amplitude = std::pow(10.0, segment.dbfs / 20.0);
        size_t remaining = static_cast<size_t>(std::llround(segment.seconds * rate));
        while (remaining > 0) {
            const size_t count = std::min(remaining, block.size());
            for (size_t i = 0; i < count; ++i, ++n) {
                const double t = double(n) / rate;
                const double fade = t < fadeInSeconds
                                        ? 0.5 - 0.5 * std::cos(std::numbers::pi * t / fadeInSeconds)
                                        : 1.0;
                block[i] = static_cast<float>(fade * amplitude *
                                              std::sin(2.0 * std::numbers::pi * hz * t + phase));
            }
            meter.process(channels, static_cast<uint32_t>(count));
            remaining -= count;
        }
    }
}

// Tech 3341 cases 1 and 2: a stereo 1 kHz sine at L dBFS reads L LUFS, momentary, short-term and
// integrated, +-0.1 LU.
TEST(LoudnessMeterTest, StereoSineAtMinus23And33DbfsReadsMinus23And33Lufs) {
    for (double rate : kRates) {
        for (double level : {-23.0, -33.0}) {
            LoudnessMeter meter;
            ASSERT_TRUE(meter.prepare(rate, 2).ok());
            feedSine(meter, rate, {{level, 20.0}});
            EXPECT_NEAR(meter.momentaryLufs(), level, 0.1) << rate;
            EXPECT_NEAR(meter.shortTermLufs(), level, 0.1) << rate;
            EXPECT_NEAR(meter.integratedLufs(), level, 0.1) << rate;
        }
    }
}

// Momentary and short-term loudness are what libebur128 itself reads over the last 400 ms and 3 s
// at every 100 ms boundary (the meter reads them from per-block energies): levels that step every
// 0.73 s, silence included, fed in chunks that straddle the boundaries, at 44.1 and 48 kHz.
TEST(LoudnessMeterTest, MomentaryAndShortTermEqualLibebur128sWindowsAtEveryBlockBoundary) {
    for (double rate : {44100.0, 48000.0}) {
        LoudnessMeter meter;
        ASSERT_TRUE(meter.prepare(rate, 2, LoudnessMeter::History::Bounded).ok());
        const std::unique_ptr<ebur128_state, void (*)(ebur128_state*)> oracle(
            ebur128_init(2, static_cast<unsigned long>(rate), EBUR128_MODE_S),
            [](ebur128_state* s) { ebur128_destroy(&s); });
        const auto blockFrames = static_cast<uint64_t>((std::lround(rate) + 5) / 10);
        const double levels[] = {-20.0, -45.0, -8.0, -200.0, -30.0, -14.0, -60.0, -23.0};
        const uint32_t chunk = 1237;  // prime to the block length
        std::vector<float> left(chunk), right(chunk), interleaved(2 * chunk);
        uint64_t n = 0;
        int compared = 0;
        for (int step = 0; step < 12; ++step) {
            const double amplitude = std::pow(10.0, levels[step % 8] / 20.0);
            const auto end = static_cast<uint64_t>(std::llround((step + 1) * 0.73 * rate));
            while (n < end) {
                // Chunks end at every boundary, so the oracle is read exactly there.
                const uint64_t toBoundary = blockFrames - n % blockFrames;
                const auto count =
                    static_cast<uint32_t>(std::min<uint64_t>({chunk, end - n, toBoundary}));
                for (uint32_t i = 0; i < count; ++i) {
                    const double t = double(n + i) / rate;
                    left[i] =
                        static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * 997 * t));
                    right[i] = static_cast<float>(0.5 * amplitude *
                                                  std::sin(2 * std::numbers::pi * 3001 * t));
                    interleaved[2 * i] = left[i];
                    interleaved[2 * i + 1] = right[i];
                }
                const float* channels[2] = {left.data(), right.data()};
                meter.process(channels, count);
                ebur128_add_frames_float(oracle.get(), interleaved.data(), count);
                n += count;
                if (n % blockFrames != 0) {
                    continue;
                }
                double momentary = 0.0, shortTerm = 0.0;
                ebur128_loudness_momentary(oracle.get(), &momentary);
                ebur128_loudness_shortterm(oracle.get(), &shortTerm);
                if (n >= 4 * blockFrames) {
                    if (std::isfinite(momentary)) {
                        EXPECT_NEAR(meter.momentaryLufs(), momentary, 1e-3) << rate << " at " << n;
                    } else {
                        EXPECT_TRUE(std::isinf(meter.momentaryLufs())) << rate << " at " << n;
                    }
                    ++compared;
                } else {
                    EXPECT_TRUE(std::isinf(meter.momentaryLufs()));
                }
                if (n >= 30 * blockFrames) {
                    EXPECT_NEAR(meter.shortTermLufs(), shortTerm, 1e-3) << rate << " at " << n;
                } else {
                    EXPECT_TRUE(std::isinf(meter.shortTermLufs()));
                }
            }
        }
        EXPECT_GT(compared, 80);
    }
}

// Tech 3341 cases 3 and 4: the absolute (-70 LUFS) and relative (-10 LU) gates leave only the
// -23 dBFS part in the integrated loudness.
TEST(LoudnessMeterTest, GatedSequencesIntegrateToMinus23Lufs) {
    for (double rate : kRates) {
        LoudnessMeter three;
        ASSERT_TRUE(three.prepare(rate, 2).ok());
        feedSine(three, rate, {{-36.0, 10.0}, {-23.0, 60.0}, {-36.0, 10.0}});
        EXPECT_NEAR(three.integratedLufs(), -23.0, 0.1) << rate;

        LoudnessMeter four;
        ASSERT_TRUE(four.prepare(rate, 2).ok());
        feedSine(four, rate,
                 {{-72.0, 10.0}, {-36.0, 10.0}, {-23.0, 60.0}, {-36.0, 10.0}, {-72.0, 10.0}});
        EXPECT_NEAR(four.integratedLufs(), -23.0, 0.1) << rate;
    }
}

// Tech 3341 case 5: -26 / -20 / -26 dBFS for 20 / 20.1 / 20 s integrates to -23.0 LUFS.
TEST(LoudnessMeterTest, Minus26Minus20Minus26SequenceIntegratesToMinus23Lufs) {
    for (double rate : kRates) {
        LoudnessMeter meter;
        ASSERT_TRUE(meter.prepare(rate, 2).ok());
        feedSine(meter, rate, {{-26.0, 20.0}, {-20.0, 20.1}, {-26.0, 20.0}});
        EXPECT_NEAR(meter.integratedLufs(), -23.0, 0.1) << rate;
    }
}

TEST(LoudnessMeterTest, BoundedHistoryIntegratesWithinATenthOfAnLu) {
    LoudnessMeter meter;
    ASSERT_TRUE(meter.prepare(48000.0, 2, LoudnessMeter::History::Bounded).ok());
    feedSine(meter, 48000.0, {{-26.0, 20.0}, {-20.0, 20.1}, {-26.0, 20.0}});
    EXPECT_NEAR(meter.integratedLufs(), -23.0, 0.1);
}

// Tech 3342 cases 1-4: loudness range of stepped 1 kHz sines, +-1 LU.
TEST(LoudnessMeterTest, SteppedSinesHaveTheTech3342LoudnessRange) {
    struct Case {
        std::vector<Segment> segments;
        double rangeLu;
    };
    const Case cases[] = {
        {{{-20.0, 20.0}, {-30.0, 20.0}}, 10.0},
        {{{-20.0, 20.0}, {-15.0, 20.0}}, 5.0},
        {{{-40.0, 20.0}, {-20.0, 20.0}}, 20.0},
        {{{-50.0, 20.0}, {-35.0, 20.0}, {-20.0, 20.0}, {-35.0, 20.0}, {-50.0, 20.0}}, 15.0},
    };
    for (double rate : kRates) {
        for (const auto& c : cases) {
            LoudnessMeter meter;
            ASSERT_TRUE(meter.prepare(rate, 2).ok());
            feedSine(meter, rate, c.segments);
            EXPECT_NEAR(meter.loudnessRangeLu(), c.rangeLu, 1.0) << rate;
        }
    }
}

// Tech 3341 cases 15-18: sines at fs/4, fs/6 and fs/8 whose samples miss the crests by a chosen
// phase; the true peak is the sine's amplitude, 0.5 = -6.02 dBTP (+0.2 / -0.4 dB). A 50 ms fade-in
// keeps the switch-on transient (which a band-limited reconstruction overshoots) out of it.
TEST(LoudnessMeterTest, InterSamplePeaksReadTheSineAmplitudeAsTruePeak) {
    struct Case {
        double divisor;
        double phaseDegrees;
    };
    const Case cases[] = {{4.0, 0.0}, {4.0, 45.0}, {6.0, 60.0}, {8.0, 67.5}};
    const double expected = 20.0 * std::log10(0.5);
    for (double rate : kRates) {
        for (const auto& c : cases) {
            LoudnessMeter meter;
            ASSERT_TRUE(meter.prepare(rate, 2).ok());
            feedSine(meter, rate, {{expected, 2.0}}, rate / c.divisor,
                     c.phaseDegrees * std::numbers::pi / 180.0, 0.05);
            const double truePeak = meter.truePeakDbtp();
            EXPECT_LE(truePeak, expected + 0.2) << rate << " Hz, fs/" << c.divisor;
            EXPECT_GE(truePeak, expected - 0.4) << rate << " Hz, fs/" << c.divisor;
        }
    }
}

TEST(LoudnessMeterTest, NothingMeasuredReadsMinusInfinity) {
    LoudnessMeter meter;
    ASSERT_TRUE(meter.prepare(48000.0, 2).ok());
    EXPECT_TRUE(std::isinf(meter.momentaryLufs()));
    EXPECT_TRUE(std::isinf(meter.integratedLufs()));
    EXPECT_TRUE(std::isinf(meter.truePeakDbtp()));
    feedSine(meter, 48000.0, {{-200.0, 5.0}});  // below the absolute gate
    EXPECT_TRUE(std::isinf(meter.integratedLufs()));
}

TEST(LoudnessMeterTest, ResetForgetsTheIntegratedLoudness) {
    LoudnessMeter meter;
    ASSERT_TRUE(meter.prepare(48000.0, 2).ok());
    feedSine(meter, 48000.0, {{-10.0, 5.0}});
    ASSERT_TRUE(meter.reset().ok());
    feedSine(meter, 48000.0, {{-30.0, 5.0}});
    EXPECT_NEAR(meter.integratedLufs(), -30.0, 0.1);
    EXPECT_NEAR(meter.truePeakDbtp(), -30.0, 0.2);
}

TEST(LoudnessMeterTest, MonoIsMeasuredAsDualMono) {
    // A mono file plays on both loudspeakers: a -23 dBFS 1 kHz sine reads -23 LUFS, as in stereo.
    LoudnessMeter meter;
    ASSERT_TRUE(meter.prepare(48000.0, 1).ok());
    std::vector<float> x(48000 * 5);
    for (size_t i = 0; i < x.size(); ++i) {
        x[i] = static_cast<float>(std::pow(10.0, -23.0 / 20.0) *
                                  std::sin(2.0 * std::numbers::pi * 1000.0 * double(i) / 48000.0));
    }
    const float* channels[1] = {x.data()};
    meter.process(channels, static_cast<uint32_t>(x.size()));
    EXPECT_NEAR(meter.integratedLufs(), -23.0, 0.1);
}

TEST(LoudnessMeterTest, ImpossibleFormatIsRefusedWithASentence) {
    LoudnessMeter meter;
    const Status status = meter.prepare(0.0, 2);
    EXPECT_FALSE(status.ok());
    EXPECT_FALSE(status.error().empty());
}

}  // namespace
}  // namespace liverack::core
