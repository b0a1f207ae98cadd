// `liverack --headless --source file:PATH --record PATH` as a user runs it (the real binary as a
// child process, null device): the recording holds the file's audio and the statistics count it;
// a full disk (a file size limit set with `ulimit -f`, SIGXFSZ ignored so writes fail with EFBIG)
// stops only the recording, with a sentence, and leaves a valid file; bad options are usage
// errors and a missing source file is a runtime error, each with a sentence.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/JackServer.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempFolder.h"

namespace liverack::test {
namespace {

constexpr double kRate = 48000;

// A ramp whose every sample says its place in the file (exact in float).
std::string writeRamp(const TempFolder& folder, size_t frames) {
    std::vector<std::vector<float>> ramp(2, std::vector<float>(frames));
    for (size_t n = 0; n < frames; ++n) {
        ramp[0][n] = static_cast<float>(double(n) / (1 << 20));
        ramp[1][n] = -ramp[0][n];
    }
    const std::string path = folder.file("ramp.wav");
    EXPECT_TRUE(writeFloatWav(path, kRate, ramp));
    return path;
}

// Waits (bounded) until `path` holds at least `bytes`.
bool fileReaches(const std::string& path, size_t bytes, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(seconds));
    while (readBytes(path).size() < bytes && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // poll cadence
    }
    return readBytes(path).size() >= bytes;
}

TEST(RecordCommandTest, HeadlessRecordsTheLoopedFileAndCountsTheFramesInItsStatistics) {
    TempFolder folder;
    const size_t length = 24000;  // 0.5 s, looped
    const std::string in = writeRamp(folder, length);
    const std::string out = folder.file("out.wav");
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "null", "--rate", "48000",
                         "--source", "file:" + in, "--record", out});
    ASSERT_TRUE(liverack.started());
    ASSERT_TRUE(liverack.waitForStderr("recording to", 20.0)) << liverack.err();
    ASSERT_TRUE(fileReaches(out, size_t(1.5 * kRate * 8), 30.0));
    liverack.sendSignal(SIGINT);
    ASSERT_EQ(liverack.wait(10.0), 0) << liverack.err();

    const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << liverack.out();
    ASSERT_TRUE(stats.contains("recorded_frames")) << liverack.out();
    ASSERT_TRUE(stats.contains("record_dropped_frames")) << liverack.out();
    EXPECT_EQ(stats["record_dropped_frames"].get<uint64_t>(), 0u);
    const auto audio = readAudio(out);
    ASSERT_EQ(audio.channels.size(), 2u);
    EXPECT_EQ(audio.sampleRate, kRate);
    EXPECT_EQ(audio.frames(), stats["recorded_frames"].get<uint64_t>());
    ASSERT_GT(audio.frames(), size_t(1.5 * kRate));
    // Past the start (the recorder may catch the end of the 30 ms fade-in), the recording is the
    // file, sample after sample, wrapping at its end.
    const size_t from = 4800;
    const auto placeOf = [](float v) { return size_t(std::lround(double(v) * (1 << 20))); };
    const size_t start = placeOf(audio.channels[0][from]);
    for (size_t i = from; i < audio.frames(); ++i) {
        const size_t n = (start + (i - from)) % length;
        ASSERT_EQ(audio.channels[0][i], static_cast<float>(double(n) / (1 << 20))) << i;
        ASSERT_EQ(audio.channels[1][i], -audio.channels[0][i]) << i;
    }
}

TEST(RecordCommandTest, FullDiskStopsTheRecordingWithASentenceWhileTheAudioGoesOn) {
    TempFolder folder;
    const std::string in = writeRamp(folder, 24000);
    const std::string out = folder.file("full.wav");
    // 400 blocks of 512 bytes: about half a second of 48 kHz stereo float.
    Subprocess liverack({"/bin/sh", "-c", "ulimit -f 400; trap '' XFSZ; exec \"$0\" \"$@\"",
                         LIVERACK_BINARY, "--headless", "--api", "null", "--rate", "48000",
                         "--source", "file:" + in, "--record", out});
    ASSERT_TRUE(liverack.started());
    ASSERT_TRUE(liverack.waitForStderr("recording stopped", 30.0)) << liverack.err();
    EXPECT_NE(liverack.err().find("the audio goes on"), std::string::npos) << liverack.err();
    EXPECT_NE(liverack.err().find("full.wav"), std::string::npos) << liverack.err();
    liverack.sendSignal(SIGINT);
    // The stream ran to the end; the failed recording makes the exit code 1.
    ASSERT_EQ(liverack.wait(10.0), 1) << liverack.err();
    const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << liverack.out();
    const uint64_t recorded = stats["recorded_frames"].get<uint64_t>();
    EXPECT_GT(recorded, 0u);
    const auto audio = readAudio(out);
    ASSERT_EQ(audio.channels.size(), 2u) << "the partial recording is not a valid file";
    EXPECT_GE(audio.frames(), recorded);
    EXPECT_LE(readBytes(out).size(), 400u * 512u);
}

// The JACK server dies mid-recording: the stream is lost, the recording is closed properly with
// everything captured until then, and the statistics still count it.
TEST(RecordCommandTest, StreamLostMidRecordingLeavesAClosedValidFileAndCountsIt) {
    JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    TempFolder folder;
    const std::string in = writeRamp(folder, 24000);
    const std::string out = folder.file("lost.flac");
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "jack", "--no-autoconnect",
                         "--source", "file:" + in, "--record", out, "--record-tap", "both"},
                        {{"JACK_DEFAULT_SERVER", server.name()}});
    ASSERT_TRUE(liverack.started());
    ASSERT_TRUE(liverack.waitForStderr("recording to", 20.0)) << liverack.err();
    ASSERT_TRUE(fileReaches(folder.file("lost.post.flac"), 64 * 1024, 30.0));
    server.kill();
    EXPECT_EQ(liverack.wait(20.0), 1) << liverack.err();
    EXPECT_NE(liverack.err().find("JACK"), std::string::npos) << liverack.err();
    const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << liverack.out();
    const uint64_t recorded = stats["recorded_frames"].get<uint64_t>();
    EXPECT_GT(recorded, 0u);
    EXPECT_EQ(stats["record_dropped_frames"].get<uint64_t>(), 0u);
    for (const char* name : {"lost.pre.flac", "lost.post.flac"}) {
        const auto audio = readAudio(folder.file(name));
        ASSERT_EQ(audio.channels.size(), 2u) << name << " is not a valid file";
        EXPECT_EQ(audio.frames(), recorded) << name;
        EXPECT_EQ(audio.format & SF_FORMAT_TYPEMASK, SF_FORMAT_FLAC) << name;
    }
}

TEST(RecordCommandTest, RecordTapWithoutRecordIsAUsageError) {
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "null", "--record-tap", "pre"});
    ASSERT_TRUE(liverack.started());
    EXPECT_EQ(liverack.wait(10.0), 2);
    EXPECT_NE(liverack.err().find("--record"), std::string::npos) << liverack.err();
}

TEST(RecordCommandTest, UnknownTapAndUnknownFormatAreUsageErrors) {
    Subprocess tap({LIVERACK_BINARY, "--headless", "--api", "null", "--record", "/tmp/x.wav",
                    "--record-tap", "middle"});
    ASSERT_TRUE(tap.started());
    EXPECT_EQ(tap.wait(10.0), 2);
    EXPECT_NE(tap.err().find("'middle'"), std::string::npos) << tap.err();
    Subprocess format({LIVERACK_BINARY, "--headless", "--api", "null", "--record", "/tmp/x.ogg"});
    ASSERT_TRUE(format.started());
    EXPECT_EQ(format.wait(10.0), 2);
    EXPECT_NE(format.err().find(".wav or .flac"), std::string::npos) << format.err();
}

TEST(RecordCommandTest, MissingSourceFileIsARuntimeErrorNamingIt) {
    Subprocess liverack(
        {LIVERACK_BINARY, "--headless", "--api", "null", "--source", "file:/nonexistent/a.wav"});
    ASSERT_TRUE(liverack.started());
    EXPECT_EQ(liverack.wait(10.0), 1);
    EXPECT_NE(liverack.err().find("/nonexistent/a.wav"), std::string::npos) << liverack.err();
    EXPECT_TRUE(liverack.out().empty()) << liverack.out();
}

TEST(RecordCommandTest, UnwritableRecordingPathIsARuntimeErrorNamingIt) {
    TempFolder folder;
    const std::string in = writeRamp(folder, 4800);
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "null", "--source", "file:" + in,
                         "--record", folder.file("missing/take.wav")});
    ASSERT_TRUE(liverack.started());
    EXPECT_EQ(liverack.wait(10.0), 1);
    EXPECT_NE(liverack.err().find("missing/take.wav"), std::string::npos) << liverack.err();
}

}  // namespace
}  // namespace liverack::test
