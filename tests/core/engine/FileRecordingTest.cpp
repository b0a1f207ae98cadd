// Files in and out through the running engine: a file played through an empty chain on the null
// device and recorded post-chain comes back sample for sample (aligned by the reported latency);
// played at another rate it matches SoX's conversion within -90 dB; and on a real JACK server a
// 30 s recording, with the disk thread stalled for 8 s in the middle, loses no sample.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

#include "core/engine/AudioEngine.h"
#include "core/io/FileSource.h"
#include "core/io/Recorder.h"
#include "tests/support/EngineWait.h"
#include "tests/support/JackServer.h"
#include "tests/support/JackTestClient.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

using test::TempFolder;
using test::waitFor;

constexpr unsigned kRate = 48000;

StreamConfig nullConfig(const std::string& file) {
    StreamConfig config;
    config.api = "null";
    config.source = "file:" + file;
    config.sampleRate = kRate;
    config.blockFrames = 256;
    config.channels = 2;
    return config;
}

// Starts with 50 ms of silence, so the engine's 30 ms fade-in acts on zeros only.
std::vector<std::vector<float>> silenceThenNoise(size_t frames, size_t silent, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> value(-0.5f, 0.5f);
    std::vector<std::vector<float>> out(2, std::vector<float>(frames, 0.0f));
    for (auto& channel : out) {
        for (size_t i = silent; i < frames; ++i) {
            channel[i] = value(rng);
        }
    }
    return out;
}

TEST(FileRecordingTest, FilePlayedThroughAnEmptyChainIsRecordedSampleForSample) {
    TempFolder folder;
    const size_t length = kRate;  // 1 s, looped: the recording crosses the loop seam twice
    const auto signal = silenceThenNoise(length, kRate / 20, 11);
    const std::string in = folder.file("in.wav");
    const std::string out = folder.file("out.wav");
    ASSERT_TRUE(test::writeFloatWav(in, kRate, signal));

    AudioEngine engine;
    ASSERT_TRUE(engine.open(nullConfig(in)));
    Recorder recorder(engine.processor().taps());
    // Before the first callback: the recording starts with the file's first frame.
    ASSERT_TRUE(recorder.start(out, RecordTaps::Post));
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(waitFor(
        engine, [&] { return recorder.framesRecorded() >= 2 * length + kRate / 4; }, 20.0));
    ASSERT_TRUE(recorder.stop());
    engine.stop();

    const auto recorded = test::readAudio(out);
    ASSERT_EQ(recorded.channels.size(), 2u);
    ASSERT_EQ(recorded.frames(), recorder.framesRecorded());
    const size_t latency = engine.processor().chainLatencyFrames();  // 0 for an empty chain
    for (uint32_t c = 0; c < 2; ++c) {
        for (size_t i = latency; i < recorded.frames(); ++i) {
            ASSERT_EQ(recorded.channels[c][i], signal[c][(i - latency) % length])
                << "channel " << c << " frame " << i;
        }
    }
    EXPECT_EQ(recorder.droppedFrames(), 0u);
    auto* file = dynamic_cast<FileSource*>(engine.processor().source());
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->underrunFrames(), 0u);
}

TEST(FileRecordingTest, FileAtAnotherRateIsRecordedAsSoxConvertsItWithinMinus90Decibels) {
    TempFolder folder;
    const double fileRate = 44100;
    const size_t length = 44100;
    std::vector<std::vector<float>> signal(2, std::vector<float>(length, 0.0f));
    for (size_t n = 2205; n < length; ++n) {  // 50 ms of silence, then tones to 12 kHz
        signal[0][n] = static_cast<float>(0.3 * std::sin(2.0 * M_PI * 440.0 * n / fileRate) +
                                          0.2 * std::sin(2.0 * M_PI * 12000.0 * n / fileRate));
        signal[1][n] = static_cast<float>(0.4 * std::sin(2.0 * M_PI * 3000.0 * n / fileRate));
    }
    const std::string in = folder.file("in44.wav");
    const std::string oracle = folder.file("sox48.wav");
    const std::string out = folder.file("out.wav");
    ASSERT_TRUE(test::writeFloatWav(in, fileRate, signal));
    const std::string command =
        "sox '" + in + "' -e floating-point -b 32 '" + oracle + "' rate -v 48000 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    const auto expected = test::readAudio(oracle);
    ASSERT_EQ(expected.frames(), size_t{kRate});

    AudioEngine engine;
    ASSERT_TRUE(engine.open(nullConfig(in)));
    Recorder recorder(engine.processor().taps());
    ASSERT_TRUE(recorder.start(out, RecordTaps::Post));
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(waitFor(
        engine, [&] { return recorder.framesRecorded() >= kRate + 4800; }, 20.0));
    ASSERT_TRUE(recorder.stop());
    engine.stop();

    const auto recorded = test::readAudio(out);
    ASSERT_EQ(recorded.channels.size(), 2u);
    const size_t latency = engine.processor().chainLatencyFrames();
    double errorEnergy = 0.0;
    double signalEnergy = 0.0;
    for (uint32_t c = 0; c < 2; ++c) {
        for (size_t i = 4800; i < kRate - 2400; ++i) {  // the steady middle of the file
            const double d = double(recorded.channels[c][i + latency]) - expected.channels[c][i];
            errorEnergy += d * d;
            signalEnergy += double(expected.channels[c][i]) * expected.channels[c][i];
        }
    }
    const double errorDb = 10.0 * std::log10(errorEnergy / signalEnergy);
    std::printf("[ resample ] engine recording vs sox: %.1f dB\n", errorDb);
    EXPECT_LT(errorDb, -90.0);
}

// Sample n of the test client's output: a counter, exact in float; channel 2 is its negative.
float counter(size_t n) {
    return static_cast<float>(double(n % (1 << 22)) / (1 << 23));
}

TEST(FileRecordingJackTest, ThirtySecondRecordingWithAnEightSecondDiskStallLosesNoSample) {
    constexpr double kSeconds = 30.0;
    constexpr double kStallFrom = 10.0;
    constexpr double kStallUntil = 18.0;
    test::JackServer server(kRate, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    TempFolder folder;

    AudioEngine engine;
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 0;
    config.autoConnect = false;
    ASSERT_TRUE(engine.open(config));
    ASSERT_TRUE(engine.start());

    test::JackTestClient tester("tester", 2);
    ASSERT_TRUE(tester.isOpen()) << tester.error();
    std::vector<std::vector<float>> play(2, std::vector<float>(size_t(45 * kRate)));
    for (size_t n = 0; n < play[0].size(); ++n) {
        play[0][n] = counter(n);
        play[1][n] = -counter(n);
    }
    tester.setPlayback(play);
    tester.setRecordCapacity(kRate);
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(tester.ports("liverack", JackPortIsInput)));
    ASSERT_TRUE(tester.connectInputsFrom(tester.ports("liverack", JackPortIsOutput)));
    ASSERT_TRUE(tester.waitForRecorded(kRate / 2, 20.0));  // audio flows, fade-in long done

    Recorder recorder(engine.processor().taps());
    std::mutex mutex;
    std::condition_variable changed;
    bool stalling = false;
    recorder.setBeforeWriteHook([&] {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !stalling; });
    });
    const std::string path = folder.file("take.wav");
    engine.processor().stats().resetXruns();
    // The engine's frame count on both sides of start and of stop: the taps switch somewhere in
    // between, however long opening and closing the files takes on a busy machine.
    const uint64_t framesBeforeStart = engine.stats().frames;
    ASSERT_TRUE(recorder.start(path, RecordTaps::Both));
    const uint64_t framesAfterStart = engine.stats().frames;
    const auto begun = std::chrono::steady_clock::now();
    const auto since = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
    };
    uint64_t framesAtStallStart = 0;
    uint64_t framesBeforeStallEnd = 0;
    ASSERT_TRUE(waitFor(
        engine, [&] { return since() >= kStallFrom; }, 60.0));
    {
        std::lock_guard lock(mutex);
        stalling = true;
    }
    ASSERT_TRUE(waitFor(
        engine, [&] { return since() >= kStallFrom + 0.5; }, 60.0));
    framesAtStallStart = recorder.framesRecorded();
    ASSERT_TRUE(waitFor(
        engine, [&] { return since() >= kStallUntil; }, 60.0));
    framesBeforeStallEnd = recorder.framesRecorded();
    {
        std::lock_guard lock(mutex);
        stalling = false;
    }
    changed.notify_all();
    ASSERT_TRUE(waitFor(
        engine, [&] { return since() >= kSeconds; }, 60.0));
    ASSERT_FALSE(engine.streamLost()) << engine.streamLostReason();
    const uint64_t framesBeforeStop = engine.stats().frames;
    ASSERT_TRUE(recorder.stop()) << recorder.errorMessage();
    const uint64_t framesAfterStop = engine.stats().frames;
    const uint64_t xruns = engine.stats().xruns;
    engine.stop();

    // The disk really stood still for 7.5 s while the audio went on.
    EXPECT_EQ(framesBeforeStallEnd, framesAtStallStart);
    EXPECT_EQ(recorder.droppedFrames(), 0u);

    const auto pre = test::readAudio(folder.file("take.pre.wav"));
    const auto post = test::readAudio(folder.file("take.post.wav"));
    ASSERT_EQ(pre.channels.size(), 2u);
    ASSERT_EQ(post.channels.size(), 2u);
    ASSERT_EQ(std::min(pre.frames(), post.frames()), recorder.framesRecorded());
    EXPECT_LE(std::max(pre.frames(), post.frames()) - recorder.framesRecorded(), 256u);
    // The engine's own count of frames streamed brackets the recording: the taps switch between
    // callbacks, so within one block of the counts read around start and stop.
    EXPECT_LE(pre.frames(), framesAfterStop - framesBeforeStart + 256);
    EXPECT_GE(pre.frames() + 256, framesBeforeStop - framesAfterStart);
    // Frames streamed while recording, counted by the signal itself: every recorded sample is the
    // next one the tester sent. A jump may only come from the JACK server running LiveRack late in
    // a cycle, which the engine counts as an xrun; the recorder itself must lose nothing.
    size_t jumps = 0;
    const auto check = [&](const test::PlanarAudio& audio, const char* tap) {
        const auto indexAt = [&](size_t i) {
            return static_cast<long>(std::lround(double(audio.channels[0][i]) * (1 << 23)));
        };
        size_t altered = 0;
        for (size_t i = 0; i < audio.frames(); ++i) {
            if (i > 0 && indexAt(i) != indexAt(i - 1) + 1) {
                ++jumps;
                std::printf("[ recording ] %s: jump at frame %zu: %ld -> %ld\n", tap, i,
                            indexAt(i - 1), indexAt(i));
            }
            altered += audio.channels[1][i] != -audio.channels[0][i] ? 1 : 0;
        }
        // A cycle JACK ran late can tear a period (seen here: 33 samples of channel 1 read while
        // the tester was already writing its next period); anywhere else nothing may change.
        EXPECT_LE(altered, 256 * xruns) << tap << ": samples altered in cycles JACK ran in time";
        if (xruns == 0) {
            EXPECT_EQ(indexAt(audio.frames() - 1) - indexAt(0) + 1, long(audio.frames())) << tap;
        }
        return indexAt(0);
    };
    const long preStart = check(pre, "pre");
    const long postStart = check(post, "post");
    EXPECT_LE(jumps, 2 * xruns) << "samples lost without an xrun";
    // The taps are switched between blocks but tested before and after the chain: the two files
    // start together, at most one block apart (one block in flight inside the chain).
    EXPECT_LE(std::abs(postStart - preStart), 256);
    std::printf(
        "[ recording ] %zu frames (%.2f s of audio in %.0f s) on JACK, disk stalled %.1f s, "
        "dropped %llu, xruns %llu, jumps %zu, post starts %ld frames from pre\n",
        pre.frames(), double(pre.frames()) / kRate, kSeconds, kStallUntil - kStallFrom,
        static_cast<unsigned long long>(recorder.droppedFrames()),
        static_cast<unsigned long long>(xruns), jumps, postStart - preStart);
}

}  // namespace
}  // namespace liverack::core
