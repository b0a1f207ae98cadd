// `liverack --headless` as a user runs it: on a JACK dummy server with --no-autoconnect, routed by
// a test client; SIGINT stops it cleanly with the statistics JSON; failures give exit codes and
// sentences (DESIGN.md: 0 success, 1 runtime failure, 2 bad usage).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "tests/support/JackServer.h"
#include "tests/support/JackTestClient.h"
#include "tests/support/Subprocess.h"

namespace liverack::test {
namespace {

constexpr double kStartTimeout = 20.0;

TEST(HeadlessCommandTest, StreamsWithGainRoutedByHandAndPrintsStatisticsOnSigint) {
    JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    Subprocess liverack(
        {LIVERACK_BINARY, "--headless", "--api", "jack", "--no-autoconnect", "--gain-db", "-6"},
        {{"JACK_DEFAULT_SERVER", server.name()}});
    ASSERT_TRUE(liverack.started());
    ASSERT_TRUE(liverack.waitForStderr("streaming on JACK", kStartTimeout)) << liverack.err();

    // Route as the engine test does: sine in, record out; -6 dB must come back.
    JackTestClient tester("tester", 2);
    std::vector<std::vector<float>> play(2, std::vector<float>(48000 * 3));
    for (size_t n = 0; n < play[0].size(); ++n) {
        play[0][n] = play[1][n] =
            static_cast<float>(0.5 * std::sin(2.0 * M_PI * 1000.0 * n / 48000.0));
    }
    tester.setPlayback(play);
    tester.setRecordCapacity(48000 * 2);
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(tester.ports("liverack", JackPortIsInput)));
    ASSERT_TRUE(tester.connectInputsFrom(tester.ports("liverack", JackPortIsOutput)));
    ASSERT_TRUE(tester.waitForRecorded(48000 * 2, 20.0));
    // The second second, past connection and fade-in, period by period: the median period's
    // peak, so that a period torn by a cycle the busy machine made JACK run late cannot decide it.
    std::vector<float> periodPeaks;
    for (size_t from = 48000; from + 256 <= 96000; from += 256) {
        float peak = 0.0f;
        for (size_t i = from; i < from + 256; ++i) {
            peak = std::max(peak, std::abs(tester.recording()[0][i]));
        }
        periodPeaks.push_back(peak);
    }
    std::nth_element(periodPeaks.begin(), periodPeaks.begin() + periodPeaks.size() / 2,
                     periodPeaks.end());
    const float medianPeak = periodPeaks[periodPeaks.size() / 2];
    EXPECT_NEAR(20.0 * std::log10(medianPeak / 0.5), -6.0, 0.01);
    tester.deactivate();

    liverack.sendSignal(SIGINT);
    ASSERT_EQ(liverack.wait(10.0), 0) << liverack.err();
    const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << "stdout is not JSON: " << liverack.out();
    for (const char* key : {"frames", "callbacks", "xruns", "dsp_load_avg", "dsp_load_max",
                            "sample_rate", "block_frames", "latency_frames"}) {
        EXPECT_TRUE(stats.contains(key)) << key;
    }
    EXPECT_EQ(stats["sample_rate"], 48000);
    EXPECT_EQ(stats["block_frames"], 256);
    EXPECT_GT(stats["frames"].get<uint64_t>(), 48000u * 2);
    EXPECT_EQ(stats["frames"].get<uint64_t>(), stats["callbacks"].get<uint64_t>() * 256);
}

TEST(HeadlessCommandTest, SigtermAlsoStopsCleanly) {
    JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "jack", "--no-autoconnect"},
                        {{"JACK_DEFAULT_SERVER", server.name()}});
    ASSERT_TRUE(liverack.waitForStderr("streaming on", kStartTimeout)) << liverack.err();
    liverack.sendSignal(SIGTERM);
    EXPECT_EQ(liverack.wait(10.0), 0) << liverack.err();
    EXPECT_NE(liverack.out().find("\"frames\""), std::string::npos);
}

TEST(HeadlessCommandTest, ServerKilledMidStreamExitsOneWithAMessage) {
    JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "jack", "--no-autoconnect"},
                        {{"JACK_DEFAULT_SERVER", server.name()}});
    ASSERT_TRUE(liverack.waitForStderr("streaming on", kStartTimeout)) << liverack.err();
    server.kill();
    EXPECT_EQ(liverack.wait(20.0), 1) << liverack.err();
    EXPECT_NE(liverack.err().find("JACK"), std::string::npos) << liverack.err();
    EXPECT_NE(liverack.out().find("\"frames\""), std::string::npos);  // statistics still printed
    // LiveRack's handler took the shutdown, not RtAudio's (whose thread could be cancelled
    // inside this very line and end the program; see core/engine/JackShutdownWatch.h).
    EXPECT_EQ(liverack.err().find("RtApiJack: the Jack server is shutting down"), std::string::npos)
        << liverack.err();
}

TEST(HeadlessCommandTest, UnknownDeviceExitsOneListingTheDevices) {
    JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "jack", "--output", "Nope 3000"},
                        {{"JACK_DEFAULT_SERVER", server.name()}});
    EXPECT_EQ(liverack.wait(20.0), 1);
    EXPECT_NE(liverack.err().find("Nope 3000"), std::string::npos) << liverack.err();
    EXPECT_NE(liverack.err().find("'system'"), std::string::npos) << liverack.err();
}

TEST(HeadlessCommandTest, NamedServerThatIsNotRunningExitsOneSuggestingAnotherApi) {
    Subprocess liverack(
        {LIVERACK_BINARY, "--headless", "--api", "jack"},
        {{"JACK_DEFAULT_SERVER", "liverack-test-nobody"}, {"JACK_NO_START_SERVER", "1"}});
    EXPECT_EQ(liverack.wait(20.0), 1);
    EXPECT_NE(liverack.err().find("no JACK server is running"), std::string::npos)
        << liverack.err();
}

TEST(HeadlessCommandTest, BadUsageExitsTwoWithAHint) {
    for (std::vector<std::string> args : {std::vector<std::string>{"--block", "7"},
                                          {"--frobnicate"},
                                          {"--rate", "fast"},
                                          {"--gain-db", "99"},
                                          {"bogus-command"}}) {
        std::vector<std::string> argv = {LIVERACK_BINARY, "--headless"};
        argv.insert(argv.end(), args.begin(), args.end());
        Subprocess liverack(argv);
        EXPECT_EQ(liverack.wait(20.0), 2) << args[0] << ": " << liverack.err();
        EXPECT_NE(liverack.err().find("liverack --help"), std::string::npos) << liverack.err();
        // The sentence quotes what was wrong: the value, the unknown option or the word.
        const std::string wrong = args.back().substr(args.back().find_first_not_of('-'));
        EXPECT_NE(liverack.err().find("'" + wrong + "'"), std::string::npos) << liverack.err();
    }
}

TEST(HeadlessCommandTest, UnusablePresetExitsOneNamingTheFileAndNeverStreams) {
    const std::string bad = ::testing::TempDir() + "liverack-headless-bad-preset.json";
    {
        std::FILE* f = std::fopen(bad.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs(R"({"format":"liverack-preset","version":1,"name":"x",)"
                   R"("chain":[{"type":"flanger-9000"}]})",
                   f);
        std::fclose(f);
    }
    for (const std::string& path : {bad, std::string("/nonexistent/liverack/preset.json")}) {
        Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "null", "--source", "sine:440",
                             "--preset", path});
        EXPECT_EQ(liverack.wait(20.0), 1) << liverack.err();
        EXPECT_NE(liverack.err().find(path), std::string::npos) << liverack.err();
        EXPECT_EQ(liverack.err().find("streaming on"), std::string::npos) << liverack.err();
    }
    std::remove(bad.c_str());
}

TEST(HeadlessCommandTest, WithNothingNamedItStartsAndSaysWhatItStreamsOn) {
    // No JACK server under this name; on a machine without sound devices (CI) the engine falls
    // back to the built-in test signal and says so; with devices it names them.
    Subprocess liverack(
        {LIVERACK_BINARY, "--headless"},
        {{"JACK_DEFAULT_SERVER", "liverack-test-nobody"}, {"JACK_NO_START_SERVER", "1"}});
    ASSERT_TRUE(liverack.waitForStderr("streaming on", kStartTimeout)) << liverack.err();
    if (liverack.err().find("Null") != std::string::npos) {
        EXPECT_NE(liverack.err().find("built-in test signal"), std::string::npos) << liverack.err();
        EXPECT_NE(liverack.err().find("liverack devices"), std::string::npos) << liverack.err();
    }
    liverack.sendSignal(SIGINT);
    EXPECT_EQ(liverack.wait(10.0), 0) << liverack.err();
}

}  // namespace
}  // namespace liverack::test
