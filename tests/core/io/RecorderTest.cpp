// Recorder driven by an EngineProcessor called directly (the test thread plays the audio
// thread), files read back with libsndfile independently of core/io. Properties: the file holds
// exactly the audio that passed the tap, both taps line up, FLAC is lossless, a stalled disk is
// absorbed for the ring's whole length (the measured headroom is printed), and unwritable paths
// or a full disk give a sentence and a valid partial file, never a crash.
#include "core/io/Recorder.h"

#include "core/engine/EngineProcessor.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <random>
#include <thread>

#include "core/dsp/effects/GainEffect.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

using test::TempFolder;

constexpr double kRate = 48000.0;
constexpr uint32_t kBlock = 256;

// The "device": feeds the processor blocks of a known input and keeps what it sent.
class Feeder {
public:
    explicit Feeder(EngineProcessor& processor, uint32_t channels = 2)
        : processor_(processor),
          channels_(channels),
          in_(channels, std::vector<float>(kBlock)),
          out_(channels, std::vector<float>(kBlock)) {}

    // Input sample n of channel c: a counter, exact in float, distinct per channel, so every
    // recorded sample names its place in the stream.
    static float valueAt(size_t n, uint32_t c) {
        return static_cast<float>(double(n % (1 << 22)) / (1 << 23)) * (c == 0 ? 1.0f : -1.0f);
    }

    void run(size_t blocks) {
        std::vector<const float*> in(channels_);
        std::vector<float*> out(channels_);
        for (size_t b = 0; b < blocks; ++b) {
            for (uint32_t c = 0; c < channels_; ++c) {
                for (uint32_t i = 0; i < kBlock; ++i) {
                    in_[c][i] = valueAt(sent_ + i, c);
                }
                in[c] = in_[c].data();
                out[c] = out_[c].data();
            }
            processor_.process(in.data(), channels_, out.data(), channels_, kBlock, false);
            sent_ += kBlock;
        }
    }
    size_t sent() const { return sent_; }

private:
    EngineProcessor& processor_;
    uint32_t channels_;
    std::vector<std::vector<float>> in_;
    std::vector<std::vector<float>> out_;
    size_t sent_ = 0;
};

std::unique_ptr<EffectChain> gainChain(float db) {
    auto gain = std::make_unique<GainEffect>();
    gain->parameters().set(GainEffect::kGainDb, db);
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::move(gain)));
    return std::make_unique<EffectChain>(std::move(slots));
}

// Prepared, faded in and past the 30 ms fade, so post-chain audio is the chain's plain output.
void prepareRunning(EngineProcessor& processor, Feeder& feeder) {
    processor.prepare({kRate, kBlock, 2}, nullptr);
    processor.requestFadeIn();
    feeder.run(20);  // 107 ms
}

// Index of the stream sample a recorded pre-tap sample came from.
size_t indexOf(float value) {
    return static_cast<size_t>(std::lround(double(value) * (1 << 23)));
}

TEST(RecorderTest, PreTapFileHoldsExactlyTheStreamWhileRecordingNoMoreNoLess) {
    TempFolder folder;
    EngineProcessor processor;
    Feeder feeder(processor);
    prepareRunning(processor, feeder);
    Recorder recorder(processor.taps());
    const size_t startAt = feeder.sent();
    ASSERT_TRUE(recorder.start(folder.file("pre.wav"), RecordTaps::Pre));
    EXPECT_TRUE(recorder.isRecording());
    feeder.run(400);  // 2.1 s
    ASSERT_TRUE(recorder.stop());
    feeder.run(10);  // after stop: not recorded

    const auto audio = test::readAudio(folder.file("pre.wav"));
    ASSERT_EQ(audio.channels.size(), 2u);
    EXPECT_EQ(audio.sampleRate, kRate);
    EXPECT_EQ(audio.format, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    ASSERT_EQ(audio.frames(), 400u * kBlock);
    for (size_t i = 0; i < audio.frames(); ++i) {
        ASSERT_EQ(audio.channels[0][i], Feeder::valueAt(startAt + i, 0)) << i;
        ASSERT_EQ(audio.channels[1][i], Feeder::valueAt(startAt + i, 1)) << i;
    }
    EXPECT_EQ(recorder.framesRecorded(), 400u * kBlock);
    EXPECT_EQ(recorder.droppedFrames(), 0u);
    EXPECT_DOUBLE_EQ(recorder.elapsedSeconds(), 400.0 * kBlock / kRate);
    EXPECT_EQ(recorder.fileBytes(), test::readBytes(folder.file("pre.wav")).size());
    EXPECT_EQ(recorder.status().state, RecorderStatus::State::Stopped);
}

// Taps switched while no block is in flight (this thread is the audio thread): the two files
// hold the very same stretch of the stream, before and after the chain.
TEST(RecorderTest, BothTapsMakeAPreAndAPostFileOfTheSameStretch) {
    TempFolder folder;
    EngineProcessor processor;
    Feeder feeder(processor);
    ASSERT_TRUE(processor.setChain(gainChain(-20.0f)));
    prepareRunning(processor, feeder);
    Recorder recorder(processor.taps());
    ASSERT_TRUE(recorder.start(folder.file("take.wav"), RecordTaps::Both));
    ASSERT_EQ(recorder.paths().size(), 2u);
    EXPECT_EQ(recorder.paths()[0], folder.file("take.pre.wav"));
    EXPECT_EQ(recorder.paths()[1], folder.file("take.post.wav"));
    feeder.run(200);
    ASSERT_TRUE(recorder.stop());

    const auto pre = test::readAudio(folder.file("take.pre.wav"));
    const auto post = test::readAudio(folder.file("take.post.wav"));
    ASSERT_EQ(pre.frames(), 200u * kBlock);
    ASSERT_EQ(post.frames(), pre.frames());
    const float gain = std::pow(10.0f, -20.0f / 20.0f);
    for (size_t i = 0; i < pre.frames(); ++i) {
        ASSERT_NEAR(post.channels[0][i], gain * pre.channels[0][i], 1e-6f) << i;
        ASSERT_NEAR(post.channels[1][i], gain * pre.channels[1][i], 1e-6f) << i;
    }
}

// libsndfile scales floats by 2^23 - 1 when writing 24-bit PCM and by 2^23 when reading, so a
// round trip may move a sample by less than one 24-bit step; nothing else may change.
TEST(RecorderTest, FlacRecordingMatchesTheStreamWithinOneTwentyFourBitStep) {
    TempFolder folder;
    EngineProcessor processor;
    processor.prepare({kRate, kBlock, 1}, nullptr);
    processor.requestFadeIn();
    Recorder recorder(processor.taps());
    ASSERT_TRUE(recorder.start(folder.file("take.flac"), RecordTaps::Pre));
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> value(-(1 << 22), (1 << 22) - 1);
    std::vector<float> sent;
    std::vector<float> block(kBlock);
    std::vector<float> out(kBlock);
    for (int b = 0; b < 100; ++b) {
        for (float& s : block) {
            s = static_cast<float>(value(rng)) / float(1 << 23);  // exactly a 24-bit sample
        }
        sent.insert(sent.end(), block.begin(), block.end());
        const float* in[1] = {block.data()};
        float* o[1] = {out.data()};
        processor.process(in, 1, o, 1, kBlock, false);
    }
    ASSERT_TRUE(recorder.stop());
    const auto audio = test::readAudio(folder.file("take.flac"));
    EXPECT_EQ(audio.format & SF_FORMAT_TYPEMASK, SF_FORMAT_FLAC);
    ASSERT_EQ(audio.channels.size(), 1u);
    ASSERT_EQ(audio.frames(), sent.size());
    for (size_t i = 0; i < sent.size(); ++i) {
        ASSERT_NEAR(audio.channels[0][i], sent[i], 1.0f / float(1 << 23)) << i;
    }
}

// Before the chain, a float file source may go beyond full scale. FLAC's integers cannot hold
// that and libsndfile's encoder refuses such samples outright; the recorder clips them (counted)
// and goes on, instead of failing as if the disk were full.
TEST(RecorderTest, FlacRecordingClipsSamplesBeyondFullScaleAndCountsThemInsteadOfFailing) {
    TempFolder folder;
    EngineProcessor processor;
    processor.prepare({kRate, kBlock, 1}, nullptr);
    Recorder recorder(processor.taps());
    ASSERT_TRUE(recorder.start(folder.file("hot.flac"), RecordTaps::Pre));
    std::vector<float> block(kBlock, 0.5f);
    block[10] = 1.5f;
    block[20] = -2.0f;
    block[30] = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> out(kBlock);
    const float* in[1] = {block.data()};
    float* o[1] = {out.data()};
    for (int b = 0; b < 10; ++b) {
        processor.process(in, 1, o, 1, kBlock, false);
    }
    ASSERT_TRUE(recorder.stop()) << recorder.errorMessage();
    EXPECT_FALSE(recorder.hasFailed());
    EXPECT_EQ(recorder.clippedSamples(), 30u);
    const auto audio = test::readAudio(folder.file("hot.flac"));
    ASSERT_EQ(audio.frames(), 10u * kBlock);
    const float step = 1.0f / float(1 << 23);
    EXPECT_NEAR(audio.channels[0][10], 1.0f, step);
    EXPECT_NEAR(audio.channels[0][20], -1.0f, step);
    EXPECT_EQ(audio.channels[0][30], 0.0f);
    EXPECT_NEAR(audio.channels[0][40], 0.5f, step);
}

// The disk thread is held inside its first write, as a stalled disk would hold it, while the
// audio thread keeps recording. Everything up to the ring's length must survive; the first block
// that does not fit is counted as dropped. The frames absorbed are the disk-thread headroom.
TEST(RecorderTest, StalledDiskIsAbsorbedForTheRingsFullLengthAndOverrunIsCounted) {
    TempFolder folder;
    EngineProcessor processor;
    Feeder feeder(processor);
    prepareRunning(processor, feeder);
    Recorder recorder(processor.taps());
    std::mutex mutex;
    std::condition_variable released;
    bool stalled = false;
    bool release = false;
    recorder.setBeforeWriteHook([&] {
        std::unique_lock lock(mutex);
        stalled = true;
        released.notify_all();
        released.wait(lock, [&] { return release; });
    });
    const size_t startAt = feeder.sent();
    ASSERT_TRUE(recorder.start(folder.file("stall.wav"), RecordTaps::Post));
    feeder.run(1);
    {
        std::unique_lock lock(mutex);  // the disk thread has popped the first block and is stuck
        ASSERT_TRUE(released.wait_for(lock, std::chrono::seconds(10), [&] { return stalled; }));
    }
    size_t absorbed = kBlock;
    while (recorder.droppedFrames() == 0 && absorbed < size_t(30 * kRate)) {
        feeder.run(1);
        if (recorder.droppedFrames() == 0) {
            absorbed += kBlock;
        }
    }
    const size_t sentWhileRecording = feeder.sent() - startAt;
    const double headroomSeconds = absorbed / kRate;
    std::printf(
        "[ headroom ] a stalled disk is absorbed for %.3f s at 48 kHz stereo "
        "(%zu frames; ring %.0f s)\n",
        headroomSeconds, absorbed, SampleTaps::kRecordRingSeconds);
    RecordProperty("headroomSeconds", std::to_string(headroomSeconds));
    EXPECT_GE(headroomSeconds, SampleTaps::kRecordRingSeconds);
    EXPECT_EQ(recorder.droppedFrames(), kBlock);  // exactly the block that did not fit

    {
        std::lock_guard lock(mutex);
        release = true;
    }
    released.notify_all();
    ASSERT_TRUE(recorder.stop());
    EXPECT_EQ(recorder.droppedFrames(), kBlock);
    const auto audio = test::readAudio(folder.file("stall.wav"));
    ASSERT_EQ(audio.frames(), sentWhileRecording - kBlock);
    ASSERT_EQ(audio.frames(), absorbed);
    // Post-chain, empty chain, past the fade: the stream itself, in order, with no gap.
    for (size_t i = 0; i < audio.frames(); ++i) {
        ASSERT_EQ(audio.channels[0][i], Feeder::valueAt(startAt + i, 0)) << i;
    }
    EXPECT_EQ(indexOf(audio.channels[0].back()), startAt + absorbed - 1);
}

TEST(RecorderTest, PathInAMissingFolderIsASentenceAndMakesNoFile) {
    TempFolder folder;
    EngineProcessor processor;
    processor.prepare({kRate, kBlock, 2}, nullptr);
    Recorder recorder(processor.taps());
    const Status started = recorder.start(folder.file("no/such/folder/take.wav"), RecordTaps::Post);
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find("cannot write"), std::string::npos) << started.error();
    EXPECT_NE(started.error().find("no/such/folder/take.wav"), std::string::npos)
        << started.error();
    EXPECT_FALSE(recorder.isRecording());
    EXPECT_TRUE(recorder.hasFailed());
    EXPECT_EQ(recorder.errorMessage(), started.error());
    EXPECT_TRUE(folder.entries().empty());
}

TEST(RecorderTest, PathBelowAFileIsASentenceAndTheSecondTapLeavesNoStrayFile) {
    TempFolder folder;
    const std::string notAFolder = folder.write("plain.txt", "text");
    EngineProcessor processor;
    processor.prepare({kRate, kBlock, 2}, nullptr);
    Recorder recorder(processor.taps());
    const Status started = recorder.start(notAFolder + "/take.wav", RecordTaps::Both);
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find("cannot write"), std::string::npos) << started.error();
    EXPECT_EQ(folder.entries(), std::vector<std::string>{"plain.txt"});
}

TEST(RecorderTest, UnknownExtensionIsASentence) {
    TempFolder folder;
    EngineProcessor processor;
    processor.prepare({kRate, kBlock, 2}, nullptr);
    Recorder recorder(processor.taps());
    const Status started = recorder.start(folder.file("take.mp3"), RecordTaps::Post);
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find(".wav or .flac"), std::string::npos) << started.error();
    EXPECT_TRUE(folder.entries().empty());
}

TEST(RecorderTest, TapNamesParseAndAnUnknownOneIsASentence) {
    EXPECT_EQ(*Recorder::parseTaps("pre"), RecordTaps::Pre);
    EXPECT_EQ(*Recorder::parseTaps("post"), RecordTaps::Post);
    EXPECT_EQ(*Recorder::parseTaps("both"), RecordTaps::Both);
    const auto bad = Recorder::parseTaps("middle");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("'middle'"), std::string::npos) << bad.error();
    EXPECT_EQ(Recorder::pathsFor("/a.b/take", RecordTaps::Both),
              (std::vector<std::string>{"/a.b/take.pre", "/a.b/take.post"}));
}

// A full disk, made real with a file size limit in a child process (RLIMIT_FSIZE; SIGXFSZ
// ignored so write() fails with EFBIG as on a full disk). The child reports the recorder's
// sentence through a pipe; the parent checks the partial file is valid and holds the stream.
TEST(RecorderTest, FullDiskStopsTheRecordingWithASentenceAndLeavesAValidPartialFile) {
    TempFolder folder;
    const std::string path = folder.file("full.wav");
    constexpr rlim_t kLimit = 300 * 1024;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(fds[0]);
        signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{kLimit, kLimit};
        setrlimit(RLIMIT_FSIZE, &limit);
        int code = 3;
        {
            EngineProcessor processor;
            Feeder feeder(processor);
            processor.prepare({kRate, kBlock, 2}, nullptr);
            Recorder recorder(processor.taps());
            if (recorder.start(path, RecordTaps::Pre)) {
                // 300 KiB is 0.8 s of 48 kHz stereo float; give it up to 20 s of audio and 30 s.
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
                while (!recorder.hasFailed() && feeder.sent() < 20 * kRate &&
                       std::chrono::steady_clock::now() < deadline) {
                    feeder.run(1);
                    // Stay within a second of the disk thread, as real time would.
                    while (feeder.sent() > recorder.framesRecorded() + kRate &&
                           !recorder.hasFailed() && std::chrono::steady_clock::now() < deadline) {
                        std::this_thread::yield();
                    }
                }
                feeder.run(100);  // the audio goes on after the failure
                const Status stopped = recorder.stop();
                const std::string message = stopped ? "" : stopped.error();
                (void)!write(fds[1], message.data(), message.size());
                code = recorder.hasFailed() ? 0 : 4;
            }
        }
        close(fds[1]);
        _exit(code);
    }
    close(fds[1]);
    std::string message;
    char buffer[512];
    for (ssize_t n; (n = read(fds[0], buffer, sizeof(buffer))) > 0;) {
        message.append(buffer, static_cast<size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "the child crashed";
    ASSERT_EQ(WEXITSTATUS(status), 0) << "recording did not fail at the limit: " << message;

    EXPECT_NE(message.find("recording stopped after"), std::string::npos) << message;
    EXPECT_NE(message.find("full.wav"), std::string::npos) << message;
    EXPECT_NE(message.find("disk full"), std::string::npos) << message;
    const auto audio = test::readAudio(path);
    ASSERT_EQ(audio.channels.size(), 2u) << "the partial file is not readable";
    EXPECT_GT(audio.frames(), kRate / 4);
    EXPECT_LE(audio.frames() * 8, kLimit);
    for (size_t i = 0; i < audio.frames(); ++i) {
        ASSERT_EQ(audio.channels[0][i], Feeder::valueAt(i, 0)) << i;
    }
}

TEST(RecorderTest, StopWhenTheStreamIsGoneStillClosesAValidFile) {
    TempFolder folder;
    EngineProcessor processor;
    Feeder feeder(processor);
    prepareRunning(processor, feeder);
    Recorder recorder(processor.taps());
    ASSERT_TRUE(recorder.start(folder.file("lost.wav"), RecordTaps::Post));
    feeder.run(50);
    // No more callbacks come: stop() must not wait for one forever.
    ASSERT_TRUE(recorder.stop());
    EXPECT_EQ(test::readAudio(folder.file("lost.wav")).frames(), 50u * kBlock);
}

}  // namespace
}  // namespace liverack::core
