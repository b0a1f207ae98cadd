// `liverack --headless --virtual-mic` on a private headless PipeWire (session D-Bus, pipewire,
// wireplumber, pipewire-pulse): other programs must see the input device "LiveRack microphone"
// (pw-dump) while LiveRack runs and not after, and record LiveRack's processed output from it
// (pw-record) at the level theory gives; without PipeWire the option fails with its sentence.
// (That the microphone's PipeWire callback neither allocates nor locks is proved in
// tests/core/engine/VirtualMicrophoneRealTimeSafetyTest: it replaces malloc, so it cannot run
// under AddressSanitizer.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/PipeWireSession.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempFolder.h"

namespace liverack::test {
namespace {

constexpr double kStartTimeout = 20.0;
constexpr double kRate = 48000.0;
constexpr double kSineHz = 440.0;
// The built-in sine's peak (TestSignalGenerator::kDefaultLevelDb) and the preset's gain.
constexpr double kSineLevelDb = -18.0;
constexpr double kGainDb = -6.0;
constexpr double kRecordSeconds = 4.0;
constexpr double kSkipSeconds = 1.0;  // the start: fade-in, the ring's first cushion

using Clock = std::chrono::steady_clock;

bool before(Clock::time_point deadline) {
    return Clock::now() < deadline;
}
Clock::time_point in(double seconds) {
    return Clock::now() +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// Polls pw-dump until a node with that description is there (`present`) or gone.
bool waitForNode(const std::string& description, bool present, double seconds) {
    const auto deadline = in(seconds);
    while (before(deadline)) {
        if (PipeWireSession::findNode(PipeWireSession::dump(), "node.description", description)
                .is_null() != present) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling the graph
    }
    return false;
}

off_t fileSize(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

// The amplitude (peak) of the `hz` component of `x[from, from + n)`, n holding whole cycles: the
// least-squares fit of a sine and a cosine, independent of LiveRack's own meters.
double sineAmplitude(const std::vector<float>& x, size_t from, size_t n, double hz) {
    double re = 0.0;
    double im = 0.0;
    for (size_t i = 0; i < n; ++i) {
        const double phase = 2.0 * std::numbers::pi * hz * static_cast<double>(i) / kRate;
        re += x[from + i] * std::cos(phase);
        im += x[from + i] * std::sin(phase);
    }
    return 2.0 * std::hypot(re, im) / static_cast<double>(n);
}

double dB(double amplitude) {
    return 20.0 * std::log10(std::max(amplitude, 1e-12));
}

class VirtualMicTest : public ::testing::Test {
protected:
    void SetUp() override {
        session_ = std::make_unique<PipeWireSession>();
        ASSERT_TRUE(session_->isRunning()) << session_->error();
        ASSERT_TRUE(session_->waitForSink(20.0)) << "WirePlumber never made its Dummy Output";
    }
    void TearDown() override { session_.reset(); }

    std::unique_ptr<PipeWireSession> session_;
};

// A 440 Hz sine at -18 dBFS through a -6 dB gain: the node other programs record from gives a
// 440 Hz sine at -24 dBFS peak, on both channels, within 0.1 dB in the 100 ms windows after the
// start (all but those an underrun LiveRack counted may have touched), and nothing else.
TEST_F(VirtualMicTest, NodeIsListedWhileRunningAndRecordsTheProcessedSignalAtItsLevel) {
    TempFolder folder;
    const std::string preset =
        folder.write("gain.json",
                     R"({"format": "liverack-preset", "version": 1, "name": "Minus six",
            "chain": [{"type": "gain", "params": {"gain_db": -6}}]})");
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "null", "--source", "sine:440",
                         "--preset", preset, "--virtual-mic"});
    ASSERT_TRUE(liverack.waitForStderr("other programs can record", kStartTimeout))
        << liverack.err();

    ASSERT_TRUE(waitForNode("LiveRack microphone", true, 10.0)) << "no node in pw-dump";
    const auto props = PipeWireSession::findNode(PipeWireSession::dump(), "node.description",
                                                 "LiveRack microphone");
    EXPECT_EQ(props.value("media.class", ""), "Audio/Source/Virtual");
    EXPECT_EQ(props.value("node.name", ""), "liverack_microphone");

    const std::string wav = folder.file("mic.wav");
    Subprocess record({"/usr/bin/pw-record", "--target", "liverack_microphone", "--format", "f32",
                       "--rate", "48000", "--channels", "2", wav});
    ASSERT_TRUE(record.started());
    const off_t wanted = static_cast<off_t>((kSkipSeconds + kRecordSeconds) * kRate * 8);
    const auto deadline = in(30.0);
    while (before(deadline) && fileSize(wav) < wanted) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // pw-record writing
    }
    ASSERT_GE(fileSize(wav), wanted) << "pw-record did not record " << record.err();
    record.sendSignal(SIGINT);
    // pw-record 0.3.65 finishes its file on SIGINT and exits 1: it must exit, not hang.
    EXPECT_GE(record.wait(10.0), 0) << record.err();

    const PlanarAudio audio = readAudio(wav);
    ASSERT_EQ(audio.channels.size(), 2u);
    ASSERT_EQ(audio.sampleRate, kRate);
    const size_t window = static_cast<size_t>(kRate / 10);  // 100 ms: 44 whole cycles
    const size_t start = static_cast<size_t>(kSkipSeconds * kRate);
    const double expected = kSineLevelDb + kGainDb;
    for (size_t c = 0; c < 2; ++c) {
        std::vector<double> levels;
        size_t close = 0;
        double worstResidualDb = -300.0;
        for (size_t from = start; from + window <= audio.frames(); from += window) {
            const double level = dB(sineAmplitude(audio.channels[c], from, window, kSineHz));
            levels.push_back(level);
            if (std::fabs(level - expected) <= 0.1) {
                ++close;
                // What is left once the sine is taken out: nothing but rounding.
                double total = 0.0;
                for (size_t i = from; i < from + window; ++i) {
                    total += double(audio.channels[c][i]) * audio.channels[c][i];
                }
                const double sineEnergy = std::pow(10.0, level / 10.0) / 2.0 * window;
                worstResidualDb =
                    std::max(worstResidualDb,
                             10.0 * std::log10(std::max(total - sineEnergy, 1e-20) / sineEnergy));
            }
        }
        ASSERT_GE(levels.size(), 30u);
        std::vector<double> sorted = levels;
        std::sort(sorted.begin(), sorted.end());
        const double median = sorted[sorted.size() / 2];
        std::printf(
            "[ level ] channel %zu: median %.3f dBFS (theory %.1f), %zu of %zu windows "
            "within 0.1 dB, residual at most %.1f dB\n",
            c, median, expected, close, levels.size(), worstResidualDb);
        EXPECT_NEAR(median, expected, 0.1) << "channel " << c;
        EXPECT_GE(close, levels.size() * 9 / 10) << "channel " << c;
        EXPECT_LT(worstResidualDb, -40.0) << "channel " << c << ": not a pure 440 Hz sine";
    }

    liverack.sendSignal(SIGINT);
    ASSERT_EQ(liverack.wait(10.0), 0) << liverack.err();
    const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << liverack.out();
    ASSERT_TRUE(stats.contains("virtual_mic")) << liverack.out();
    const auto mic = stats["virtual_mic"];
    std::printf("[ mic ] %s\n", mic.dump().c_str());
    EXPECT_EQ(mic.value("name", ""), "LiveRack microphone");
    EXPECT_GT(mic.value("played_frames", 0u), static_cast<uint64_t>(kRecordSeconds * kRate));
    EXPECT_TRUE(waitForNode("LiveRack microphone", false, 10.0))
        << "the node is still there after LiveRack stopped";
}

// A name of one's own: the description is it, the node name follows from it.
TEST_F(VirtualMicTest, NameGivenIsTheDescriptionAndTheNodeNameFollowsFromIt) {
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "null", "--source", "sine:440",
                         "--virtual-mic-name", "Podcast Voice #2"});
    ASSERT_TRUE(liverack.waitForStderr("other programs can record", kStartTimeout))
        << liverack.err();
    ASSERT_TRUE(waitForNode("Podcast Voice #2", true, 10.0));
    const auto props =
        PipeWireSession::findNode(PipeWireSession::dump(), "node.description", "Podcast Voice #2");
    EXPECT_EQ(props.value("node.name", ""), "podcast_voice_2");
    EXPECT_EQ(props.value("media.class", ""), "Audio/Source/Virtual");
    liverack.sendSignal(SIGINT);
    EXPECT_EQ(liverack.wait(10.0), 0) << liverack.err();
    EXPECT_TRUE(waitForNode("Podcast Voice #2", false, 10.0));
}

// No PipeWire (a runtime folder without its socket): the one sentence, and exit 1 (DESIGN.md's
// runtime failure), as for --send and --web.
TEST(VirtualMicWithoutPipeWireTest, OptionFailsWithItsSentenceAndExitOne) {
    TempFolder folder;
    Subprocess liverack(
        {LIVERACK_BINARY, "--headless", "--api", "null", "--source", "sine:440", "--virtual-mic"},
        {{"XDG_RUNTIME_DIR", folder.path()},
         {"PIPEWIRE_RUNTIME_DIR", ""},
         {"PIPEWIRE_REMOTE", ""}});
    ASSERT_TRUE(liverack.started());
    EXPECT_EQ(liverack.wait(kStartTimeout), 1) << liverack.err();
    EXPECT_NE(liverack.err().find("liverack: --virtual-mic needs a running PipeWire: no PipeWire "
                                  "server at " +
                                  folder.path() + "/pipewire-0\n"),
              std::string::npos)
        << liverack.err();
}

}  // namespace
}  // namespace liverack::test
