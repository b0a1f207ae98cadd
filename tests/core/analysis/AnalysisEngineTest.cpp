// AnalysisEngine end to end: known sines pushed through the pre and post SampleRings come back as
// snapshots with the right levels, loudness, spectrum peak and pitch, in increasing sequence.
// The test waits by polling the engine's progress counters, never by sleeping.
#include "core/analysis/AnalysisEngine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

#include "tests/core/analysis/AnalysisTestSignals.h"

namespace liverack::core {
namespace {

constexpr double kRate = 48000.0;
constexpr uint32_t kBlock = 256;

// Pushes `seconds` of a stereo sine (amplitudes pre and post) into the rings block by block,
// as the audio thread would, waiting for room when the analysis thread is behind.
void pushSine(SampleRing& pre, SampleRing& post, double hz, float preAmplitude, float postAmplitude,
              double seconds, uint64_t& frame, double rate = kRate) {
    std::vector<float> a(kBlock), b(kBlock);
    float* preChannels[2] = {a.data(), a.data()};
    float* postChannels[2] = {b.data(), b.data()};
    const auto blocks = static_cast<size_t>(seconds * rate / kBlock);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (size_t n = 0; n < blocks; ++n) {
        for (uint32_t i = 0; i < kBlock; ++i, ++frame) {
            const double s = std::sin(2.0 * testsignals::kPi * hz * double(frame) / rate);
            a[i] = static_cast<float>(preAmplitude * s);
            b[i] = static_cast<float>(postAmplitude * s);
        }
        while (!pre.push(AudioBlock(preChannels, 2, kBlock)) &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::yield();
        }
        while (!post.push(AudioBlock(postChannels, 2, kBlock)) &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::yield();
        }
    }
}

// Polls until the engine has consumed every frame pushed (or a generous deadline passes).
bool waitUntilAnalysed(const AnalysisEngine& engine, uint64_t frames) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        if (engine.framesAnalysed(Tap::Pre) >= frames &&
            engine.framesAnalysed(Tap::Post) >= frames) {
            return true;
        }
        std::this_thread::yield();
    }
    return false;
}

struct Rig {
    explicit Rig(double rate = kRate) : pre(2, size_t(rate)), post(2, size_t(rate)) {}
    SampleRing pre;
    SampleRing post;
    std::unique_ptr<AnalysisEngine> engine = std::make_unique<AnalysisEngine>(pre, post);
    uint64_t frame = 0;
};

TEST(AnalysisEngineTest, SinePushedThroughTheRingsIsMeasuredOnEveryTap) {
    for (double rate : {44100.0, 48000.0, 96000.0}) {
        SCOPED_TRACE(rate);
        Rig rig(rate);
        rig.engine->setFftSize(8192);
        rig.engine->setWindow(SpectrumWindow::FlatTop);
        rig.engine->start(rate, 2);
        ASSERT_TRUE(rig.engine->isRunning());
        // 997 Hz at -6.02 dBFS before the chain and -12.04 dBFS after it, for 4 s.
        pushSine(rig.pre, rig.post, 997.0, 0.5f, 0.25f, 4.0, rig.frame, rate);
        ASSERT_TRUE(waitUntilAnalysed(*rig.engine, rig.frame));

        // The snapshots are published after each chunk; the last chunk is in now.
        const LevelSnapshot& pre = rig.engine->levels(Tap::Pre).read();
        const LevelSnapshot& post = rig.engine->levels(Tap::Post).read();
        ASSERT_EQ(pre.channelCount, 2u);
        for (uint32_t c = 0; c < 2; ++c) {
            EXPECT_NEAR(pre.channels[c].peakDb, 20.0 * std::log10(0.5), 0.01);
            EXPECT_NEAR(pre.channels[c].rmsDb, 20.0 * std::log10(0.5 / std::sqrt(2.0)), 0.05);
            EXPECT_NEAR(post.channels[c].peakDb, 20.0 * std::log10(0.25), 0.01);
            EXPECT_NEAR(post.channels[c].rmsDb, 20.0 * std::log10(0.25 / std::sqrt(2.0)), 0.05);
            EXPECT_EQ(post.channels[c].clipCount, 0u);
        }
        EXPECT_NEAR(pre.streamTimeSeconds, double(rig.frame) / rate, 1e-9);

        // A 997 Hz stereo sine of amplitude 0.25 is 20 log10(0.25) = -12.04 LUFS, +-0.1 (BS.1770).
        const LoudnessSnapshot& loudness = rig.engine->loudness().read();
        EXPECT_NEAR(loudness.momentaryLufs, -12.04, 0.15);
        EXPECT_NEAR(loudness.shortTermLufs, -12.04, 0.15);
        EXPECT_NEAR(loudness.integratedLufs, -12.04, 0.15);

        // Spectrum of the post tap: the peak at 997 Hz, -12.04 dBFS (flat top).
        const SpectrumSnapshot& spectrum = rig.engine->spectrum().read();
        EXPECT_EQ(spectrum.fftSize, 8192u);
        EXPECT_EQ(spectrum.binCount, 4097u);
        EXPECT_NEAR(spectrum.peakHz, 997.0, 0.05 * rate / 8192);
        EXPECT_NEAR(spectrum.peakDb, -12.04, 0.1);
        EXPECT_NEAR(spectrum.magnitudeDb[std::lround(997.0 * 8192 / rate)], -12.04, 0.1);

        // Pitch: 997 Hz = B5 + 16.1 cents against A4 = 440 Hz.
        const PitchSnapshot& pitch = rig.engine->pitch().read();
        EXPECT_TRUE(pitch.voiced);
        EXPECT_NEAR(pitch.hz, 997.0, 0.01);
        EXPECT_STREQ(pitch.noteName.data(), "B5");
        EXPECT_EQ(pitch.midiNote, 83);
        EXPECT_NEAR(pitch.cents, 1200.0 * std::log2(997.0 / 440.0) - 1400.0, 0.05);
        EXPECT_FLOAT_EQ(pitch.referenceA4Hz, 440.0f);
        rig.engine->stop();
    }
}

TEST(AnalysisEngineTest, SnapshotSequenceNumbersIncrease) {
    Rig rig;
    rig.engine->start(kRate, 2);
    uint64_t lastLevel = 0;
    uint64_t lastPitch = 0;
    uint64_t lastColumn = 0;
    size_t levelUpdates = 0;
    size_t columns = 0;
    for (int second = 0; second < 3; ++second) {
        pushSine(rig.pre, rig.post, 440.0, 0.5f, 0.5f, 1.0, rig.frame);
        ASSERT_TRUE(waitUntilAnalysed(*rig.engine, rig.frame));
        if (rig.engine->levels(Tap::Post).update()) {
            const uint64_t sequence = rig.engine->levels(Tap::Post).readSlot().sequence;
            EXPECT_GT(sequence, lastLevel);
            lastLevel = sequence;
            ++levelUpdates;
        }
        if (rig.engine->pitch().update()) {
            const uint64_t sequence = rig.engine->pitch().readSlot().sequence;
            EXPECT_GT(sequence, lastPitch);
            lastPitch = sequence;
        }
        SpectrogramColumn column;
        while (rig.engine->popSpectrogramColumn(column)) {
            EXPECT_GT(column.sequence, lastColumn);
            lastColumn = column.sequence;
            ++columns;
        }
    }
    EXPECT_EQ(levelUpdates, 3u);
    // 3 s at 8192 points and 75% overlap: one column per 2048 frames.
    EXPECT_EQ(columns, size_t(3 * kRate) / 2048);
    rig.engine->stop();
}

TEST(AnalysisEngineTest, ReferenceA4ChangesTheCents) {
    Rig rig;
    rig.engine->setReferenceA4(432.0f);
    rig.engine->start(kRate, 2);
    pushSine(rig.pre, rig.post, 440.0, 0.5f, 0.5f, 1.0, rig.frame);
    ASSERT_TRUE(waitUntilAnalysed(*rig.engine, rig.frame));
    const PitchSnapshot& pitch = rig.engine->pitch().read();
    EXPECT_STREQ(pitch.noteName.data(), "A4");
    EXPECT_NEAR(pitch.cents, 1200.0 * std::log2(440.0 / 432.0), 0.05);
    EXPECT_FLOAT_EQ(pitch.referenceA4Hz, 432.0f);
}

TEST(AnalysisEngineTest, ClipsLatchUntilResetOnThatTapOnly) {
    Rig rig;
    rig.engine->start(kRate, 2);
    pushSine(rig.pre, rig.post, 440.0, 1.5f, 1.5f, 0.5, rig.frame);  // clips on both taps
    ASSERT_TRUE(waitUntilAnalysed(*rig.engine, rig.frame));
    EXPECT_GT(rig.engine->levels(Tap::Pre).read().channels[0].clipCount, 0u);
    rig.engine->resetClips(Tap::Pre);
    // The request is taken at the start of a pass; a pass that began before it may still
    // consume the first quiet block, but the second is consumed by a later pass.
    for (int pass = 0; pass < 2; ++pass) {
        pushSine(rig.pre, rig.post, 440.0, 0.1f, 0.1f, 0.1, rig.frame);
        ASSERT_TRUE(waitUntilAnalysed(*rig.engine, rig.frame));
    }
    EXPECT_EQ(rig.engine->levels(Tap::Pre).read().channels[0].clipCount, 0u);
    EXPECT_GT(rig.engine->levels(Tap::Post).read().channels[0].clipCount, 0u);
}

TEST(AnalysisEngineTest, SilenceReadsMinusInfinityAndUnvoiced) {
    Rig rig;
    rig.engine->start(kRate, 2);
    pushSine(rig.pre, rig.post, 440.0, 0.0f, 0.0f, 1.0, rig.frame);
    ASSERT_TRUE(waitUntilAnalysed(*rig.engine, rig.frame));
    EXPECT_TRUE(std::isinf(rig.engine->levels(Tap::Post).read().channels[0].peakDb));
    EXPECT_FALSE(rig.engine->pitch().read().voiced);
    EXPECT_TRUE(std::isinf(rig.engine->loudness().read().momentaryLufs));
}

TEST(AnalysisEngineTest, StopAndRestartIsClean) {
    Rig rig;
    rig.engine->start(kRate, 2);
    rig.engine->stop();
    EXPECT_FALSE(rig.engine->isRunning());
    rig.engine->start(96000.0, 2);
    EXPECT_TRUE(rig.engine->isRunning());
    rig.engine.reset();  // the destructor stops the thread
}

}  // namespace
}  // namespace liverack::core
