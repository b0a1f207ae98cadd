// PitchEffect: +12 semitones turns a 440 Hz sine into 880 Hz (±1 cent) once the reported latency
// has passed; at 0 semitones the output is the input delayed by exactly the reported latency;
// the dry path is aligned with it; cents add to semitones; the FIFO never underruns; random
// parameter changes never click.
#include "core/dsp/effects/PitchEffect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "tests/support/EffectTestSupport.h"

namespace liverack::core {
namespace {

double cents(double measured, double expected) {
    return 1200.0 * std::log2(measured / expected);
}

// Frequency of channel 0 after the latency and half a second of settling, over 1.5 s.
double shiftedFrequency(PitchEffect& pitch, double rate, uint32_t block, double inputHz) {
    const auto frames = static_cast<size_t>(3.0 * rate);
    const auto out =
        test::processInBlocks(pitch, test::sine(2, frames, inputHz, rate, 0.5f), block);
    const size_t begin = pitch.latencyFrames() + static_cast<size_t>(0.5 * rate);
    return test::zeroCrossingFrequency(out[0], begin, begin + static_cast<size_t>(1.5 * rate),
                                       rate);
}

using RateAndBlock = std::tuple<double, uint32_t>;
class PitchEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(PitchEffectAt, TwelveSemitonesUpTurns440HzInto880HzWithinOneCent) {
    const auto [rate, block] = GetParam();
    PitchEffect pitch;
    pitch.parameters().set(PitchEffect::kSemitones, 12.0f);
    pitch.prepare({rate, block, 2});
    ASSERT_TRUE(pitch.isReady());
    const double hz = shiftedFrequency(pitch, rate, block, 440.0);
    RecordProperty("measured_hz", std::to_string(hz));
    EXPECT_NEAR(cents(hz, 880.0), 0.0, 1.0) << "measured " << hz << " Hz";
    EXPECT_EQ(pitch.underrunCount(), 0u);
}

TEST_P(PitchEffectAt, ZeroShiftIsTheInputDelayedByTheReportedLatency) {
    const auto [rate, block] = GetParam();
    PitchEffect pitch;
    pitch.prepare({rate, block, 2});
    const auto frames = static_cast<size_t>(2.0 * rate);
    const test::Signal in = {test::bandLimitedNoise(frames, rate, 4000.0, 0.5f, 7),
                             test::bandLimitedNoise(frames, rate, 4000.0, 0.5f, 8)};
    const auto out = test::processInBlocks(pitch, in, block);
    const auto latency = static_cast<long>(pitch.latencyFrames());
    // The lag of the cross-correlation peak, searched ±400 samples around the claim.
    long bestLag = 0;
    double best = -1e30;
    const auto begin = static_cast<size_t>(0.5 * rate) + latency + 400;
    for (long lag = latency - 400; lag <= latency + 400; ++lag) {
        double sum = 0.0;
        for (size_t i = begin; i < frames; ++i) {
            sum += static_cast<double>(out[0][i]) * in[0][i - lag];
        }
        if (sum > best) {
            best = sum;
            bestLag = lag;
        }
    }
    EXPECT_EQ(bestLag, latency);
    EXPECT_EQ(pitch.underrunCount(), 0u);
}

TEST_P(PitchEffectAt, MixZeroIsTheDryInputDelayedByTheReportedLatency) {
    const auto [rate, block] = GetParam();
    PitchEffect pitch;
    pitch.parameters().set(PitchEffect::kSemitones, 5.0f);
    pitch.parameters().set(PitchEffect::kMix, 0.0f);
    pitch.prepare({rate, block, 2});
    const auto in = test::sine(2, static_cast<size_t>(rate), 441.0, rate, 0.5f);
    const auto out = test::processInBlocks(pitch, in, block);
    const uint32_t latency = pitch.latencyFrames();
    for (size_t i = latency; i < in[0].size(); ++i) {
        ASSERT_EQ(out[0][i], in[0][i - latency]) << "at " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, PitchEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(PitchEffectTest, ResetLandsOnTheAlignmentOfAFreshEffect) {
    // Rubber Band's reset keeps some resampler state, so a reset effect is not bit-identical to
    // a fresh one; but its timing must be: the outputs line up at lag 0.
    const double rate = 48000.0;
    for (float semitones : {-7.0f, 5.0f}) {
        PitchEffect used;
        PitchEffect fresh;
        for (PitchEffect* p : {&used, &fresh}) {
            p->parameters().set(PitchEffect::kSemitones, semitones);
            p->prepare({rate, 128, 2});
        }
        const auto frames = static_cast<size_t>(rate);
        const test::Signal before = {test::bandLimitedNoise(frames, rate, 4000.0, 0.5f, 21),
                                     test::bandLimitedNoise(frames, rate, 4000.0, 0.5f, 22)};
        test::processInBlocks(used, before, 128);
        used.reset();
        const test::Signal in = {test::bandLimitedNoise(frames, rate, 4000.0, 0.5f, 23),
                                 test::bandLimitedNoise(frames, rate, 4000.0, 0.5f, 24)};
        const auto a = test::processInBlocks(used, in, 128);
        const auto b = test::processInBlocks(fresh, in, 128);
        EXPECT_EQ(used.latencyFrames(), fresh.latencyFrames());
        long bestLag = 0;
        double best = -1e30;
        for (long lag = -200; lag <= 200; ++lag) {
            double sum = 0.0;
            for (size_t i = 12000; i + 200 < frames; ++i) {
                sum += static_cast<double>(a[0][i]) * b[0][i + lag];
            }
            if (sum > best) {
                best = sum;
                bestLag = lag;
            }
        }
        EXPECT_EQ(bestLag, 0) << semitones << " semitones";
    }
}

TEST(PitchEffectTest, CentsAddToSemitones) {
    const double rate = 48000.0;
    PitchEffect pitch;
    pitch.parameters().set(PitchEffect::kSemitones, -7.0f);
    pitch.parameters().set(PitchEffect::kCents, 50.0f);
    pitch.prepare({rate, 256, 2});
    const double hz = shiftedFrequency(pitch, rate, 256, 440.0);
    EXPECT_NEAR(cents(hz, 440.0 * std::pow(2.0, -6.5 / 12.0)), 0.0, 1.0) << hz;
}

TEST(PitchEffectTest, FormantPreservationKeepsThePitchShift) {
    const double rate = 48000.0;
    PitchEffect pitch;
    pitch.parameters().set(PitchEffect::kSemitones, 12.0f);
    pitch.parameters().set(PitchEffect::kFormant, 1.0f);
    pitch.prepare({rate, 256, 2});
    const double hz = shiftedFrequency(pitch, rate, 256, 440.0);
    EXPECT_NEAR(cents(hz, 880.0), 0.0, 1.0) << hz;
}

TEST(PitchEffectTest, RandomParametersEveryBlockNeverClickNorUnderrun) {
    for (double rate : {44100.0, 96000.0}) {
        PitchEffect pitch;
        pitch.prepare({rate, 64, 2});
        // The shift reaches 2^(13/12) ≈ 2.12, stretching the input's bandwidth that much:
        // Bernstein × 2.12, × 1.3 for dry and wet partly cancelling in the local peak (the dry
        // path glides at ≤ 1.25 samples per sample, inside that). The floor covers the 20 ms mix
        // ramp and the stretcher's crossfades when the ratio changes.
        const auto report = test::randomParameterClickTest(pitch, rate, 64, 2.12 * 1.3, 0.01f);
        EXPECT_TRUE(report.finite);
        EXPECT_LE(report.worstExcess, 0.0) << "at sample " << report.worstIndex;
        EXPECT_EQ(pitch.underrunCount(), 0u);
    }
}

TEST(PitchEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = PitchEffect::staticInfo();
    EXPECT_EQ(info.typeId, "pitch");
    ASSERT_EQ(info.parameters.size(), 4u);
    EXPECT_EQ(info.parameters[PitchEffect::kSemitones].id, "semitones");
    EXPECT_EQ(info.parameters[PitchEffect::kSemitones].minValue, -12.0f);
    EXPECT_EQ(info.parameters[PitchEffect::kSemitones].maxValue, 12.0f);
    EXPECT_EQ(info.parameters[PitchEffect::kSemitones].defaultValue, 0.0f);
    EXPECT_EQ(info.parameters[PitchEffect::kCents].id, "cents");
    EXPECT_EQ(info.parameters[PitchEffect::kCents].minValue, -100.0f);
    EXPECT_EQ(info.parameters[PitchEffect::kCents].maxValue, 100.0f);
    EXPECT_EQ(info.parameters[PitchEffect::kFormant].id, "formant");
    EXPECT_EQ(info.parameters[PitchEffect::kFormant].kind, ParameterKind::Toggle);
    EXPECT_EQ(info.parameters[PitchEffect::kMix].id, "mix");
    EXPECT_EQ(info.parameters[PitchEffect::kMix].defaultValue, 1.0f);
}

}  // namespace
}  // namespace liverack::core
