// `liverack --headless` as a user runs it: on a JACK dummy server with --no-autoconnect, routed by
// a test client; SIGINT stops it cleanly with the statistics JSON; failures give exit codes and
// sentences (DESIGN.md: 0 success, 1 runtime failure, 2 bad usage).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "tests/support/JackLoopMeasurement.h"
#include "tests/support/JackServer.h"
#include "tests/support/JackTestClient.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempFolder.h"

namespace liverack::test {
namespace {

constexpr double kStartTimeout = 20.0;

// The loop through `liverack --headless`, routed by hand by an external libjack client: exactly
// one period at 64 and at 256 frames (what a plain pass-through client takes), the gain exact.
class HeadlessLoopTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(HeadlessLoopTest, LoopIsExactlyOnePeriodWithExactGainAndStatisticsOnSigint) {
    const unsigned period = GetParam();
    JackServer server(48000, period);
    ASSERT_TRUE(server.isRunning()) << server.error();
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "jack", "--no-autoconnect",
                         "--gain-db", "-6.0206"},
                        {{"JACK_DEFAULT_SERVER", server.name()}});
    ASSERT_TRUE(liverack.started());
    ASSERT_TRUE(liverack.waitForStderr("streaming on JACK", kStartTimeout)) << liverack.err();

    JackTestClient tester("tester", 2);
    const size_t frames = 3 * 48000;
    const auto play = loopSignal(frames + 48000, period);
    tester.setPlayback(play);
    tester.setRecordCapacity(frames);
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(tester.ports("liverack", JackPortIsInput)));
    ASSERT_TRUE(tester.connectInputsFrom(tester.ports("liverack", JackPortIsOutput)));
    ASSERT_TRUE(tester.waitForRecorded(frames, 30.0));
    const long arrival = firstArrival(tester, 0, 1e-3f);
    ASSERT_GE(arrival, 0) << "nothing came back through liverack";
    const LoopResult r = measureLoop(tester, play, std::pow(10.0, -6.0206 / 20.0),
                                     static_cast<size_t>(arrival) + 24000, frames, 8192);
    expectExactLoop(r, static_cast<long>(period), -6.0206,
                    "liverack --headless at " + std::to_string(period));
    tester.deactivate();

    liverack.sendSignal(SIGINT);
    EXPECT_EQ(liverack.wait(10.0), 0) << liverack.err();
    const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << liverack.out();
    EXPECT_EQ(stats.value("block_frames", 0u), period);
}

INSTANTIATE_TEST_SUITE_P(Periods, HeadlessLoopTest, ::testing::Values(64u, 256u));

// Connected to the system ports, latency_frames is system capture + system playback latency +
// the chain's (a 5 ms limiter: 240 frames), as `jack_lsp -l` shows the ports' latencies: 256 and
// 512 frames on the dummy server at 256-frame periods (checked in the engine test against
// jack_lsp itself).
TEST(HeadlessCommandTest, LatencyFramesOnTheSystemPortsIsTheirLatencyPlusTheChains) {
    JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    JackTestClient reader("reader", 1);
    ASSERT_TRUE(reader.isOpen()) << reader.error();
    const unsigned capture = reader.latencyRange("system:capture_1", JackCaptureLatency).max;
    const unsigned playback = reader.latencyRange("system:playback_1", JackPlaybackLatency).max;
    TempFolder folder;
    const std::string preset = folder.path() + "/limiter.json";
    {
        std::FILE* f = std::fopen(preset.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs(R"({"format": "liverack-preset", "version": 1, "name": "Limiter",
                       "chain": [{"type": "limiter", "params": {"lookahead_ms": 5}}]})",
                   f);
        std::fclose(f);
    }
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "jack", "--preset", preset},
                        {{"JACK_DEFAULT_SERVER", server.name()}});
    ASSERT_TRUE(liverack.waitForStderr("streaming on JACK", kStartTimeout)) << liverack.err();
    liverack.sendSignal(SIGINT);
    ASSERT_EQ(liverack.wait(10.0), 0) << liverack.err();
    const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << liverack.out();
    EXPECT_EQ(stats.value("latency_frames", 0u), capture + playback + 240u) << liverack.out();
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
    EXPECT_NE(liverack.err().find("the JACK server shut down or disconnected LiveRack"),
              std::string::npos)
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

// The network refusing: a port another program receives on, a host that does not exist. Exit 1
// with a sentence naming it, before anything streams.
TEST(HeadlessCommandTest, NetworkTroubleExitsOneWithASentence) {
    JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    boost::asio::io_context io;
    boost::asio::ip::udp::socket taken(
        io, boost::asio::ip::udp::endpoint(boost::asio::ip::address_v4::any(), 0));
    const std::string port = std::to_string(taken.local_endpoint().port());
    Subprocess busy({LIVERACK_BINARY, "--headless", "--api", "jack", "--no-autoconnect", "--source",
                     "rtp://@:" + port},
                    {{"JACK_DEFAULT_SERVER", server.name()}});
    EXPECT_EQ(busy.wait(20.0), 1) << busy.err();
    EXPECT_NE(busy.err().find("cannot listen for RTP on port " + port), std::string::npos)
        << busy.err();
    EXPECT_NE(busy.err().find("another program"), std::string::npos) << busy.err();

    Subprocess unknown({LIVERACK_BINARY, "--headless", "--api", "jack", "--no-autoconnect",
                        "--send", "rtp://nohost.invalid:5004"},
                       {{"JACK_DEFAULT_SERVER", server.name()}});
    EXPECT_EQ(unknown.wait(30.0), 1) << unknown.err();
    EXPECT_NE(unknown.err().find("the host 'nohost.invalid' is unknown"), std::string::npos)
        << unknown.err();
}

TEST(HeadlessCommandTest, BadUsageExitsTwoWithAHint) {
    for (std::vector<std::string> args : {std::vector<std::string>{"--block", "7"},
                                          {"--frobnicate"},
                                          {"--rate", "fast"},
                                          {"--gain-db", "99"},
                                          {"--send", "rtp://nohost"},
                                          {"--send", "rtp://127.0.0.1:5004?codec=mp3"},
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

TEST(HeadlessCommandTest, ASignalAskedForButNoDeviceNamedStillPlaysThatSignal) {
    // A test signal needs no device: with no audio server the fallback keeps it (not the
    // built-in 440 Hz) and plays it into the null output.
    Subprocess liverack(
        {LIVERACK_BINARY, "--headless", "--source", "sine:1000"},
        {{"JACK_DEFAULT_SERVER", "liverack-test-nobody"}, {"JACK_NO_START_SERVER", "1"}});
    ASSERT_TRUE(liverack.waitForStderr("streaming on", kStartTimeout)) << liverack.err();
    if (liverack.err().find("Null") != std::string::npos) {
        EXPECT_NE(liverack.err().find("running on 'sine:1000' into a null output"),
                  std::string::npos)
            << liverack.err();
        EXPECT_NE(liverack.err().find("sine 1000 Hz"), std::string::npos) << liverack.err();
    }
    liverack.sendSignal(SIGINT);
    EXPECT_EQ(liverack.wait(10.0), 0) << liverack.err();
}

}  // namespace
}  // namespace liverack::test
