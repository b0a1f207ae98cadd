// The engine on a real JACK server (dummy backend, 48 kHz) with a real libjack test client routing
// audio through LiveRack's native JACK ports: the loop is exactly the server's period (what a
// plain pass-through client gets) plus the chain's latency, the gain exact, no sample lost or
// repeated outside the cycles the server reported late; the latency published on the ports and
// the round trip reported from JACK's latency ranges; period changes and server deaths survived;
// every failure as a sentence.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/dsp/effects/GainEffect.h"
#include "core/dsp/effects/LimiterEffect.h"
#include "core/engine/AudioEngine.h"
#include "tests/support/CycleStall.h"
#include "tests/support/EngineWait.h"
#include "tests/support/JackLoopMeasurement.h"
#include "tests/support/JackServer.h"
#include "tests/support/JackTestClient.h"
#include "tests/support/Subprocess.h"

namespace liverack::core {
namespace {

using test::expectExactLoop;
using test::JackServer;
using test::JackTestClient;
using test::LoopResult;
using test::waitFor;

constexpr unsigned kRate = 48000;
constexpr unsigned kPeriod = 256;

constexpr double kHalfGainDb = -6.0206;

std::unique_ptr<EffectChain> chainOf(std::unique_ptr<Effect> effect) {
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::move(effect)));
    return std::make_unique<EffectChain>(std::move(slots));
}

std::unique_ptr<EffectChain> gainChain(float db) {
    auto gain = std::make_unique<GainEffect>();
    gain->parameters().set(GainEffect::kGainDb, db);
    return chainOf(std::move(gain));
}

std::unique_ptr<EffectChain> limiterChain(double lookaheadMs) {
    auto limiter = std::make_unique<LimiterEffect>();
    limiter->parameters().set(LimiterEffect::kLookaheadMs, lookaheadMs);
    return chainOf(std::move(limiter));
}

// Plays the loop signal from `tester` through the client `through` and back for `seconds`, and
// measures the recording from half a second after the signal first came back.
LoopResult loopThrough(JackTestClient& tester, const std::string& through, double gainDb,
                       double seconds, unsigned seed) {
    const auto rate = static_cast<size_t>(tester.sampleRate());
    const auto frames = static_cast<size_t>(seconds * rate);
    const auto play = test::loopSignal(frames + rate, seed);
    tester.setPlayback(play);
    tester.setRecordCapacity(frames);
    LoopResult failed;
    if (!tester.activate() || !tester.connectOutputsTo(tester.ports(through, JackPortIsInput)) ||
        !tester.connectInputsFrom(tester.ports(through, JackPortIsOutput)) ||
        !tester.waitForRecorded(frames, seconds + 30.0)) {
        return failed;
    }
    const long arrival = test::firstArrival(tester, 0, 1e-3f);
    if (arrival < 0) {
        return failed;
    }
    return test::measureLoop(tester, play, std::pow(10.0, gainDb / 20.0),
                             static_cast<size_t>(arrival) + rate / 2, frames, 8192);
}

StreamConfig jackConfig() {
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 0;
    config.blockFrames = kPeriod;
    config.channels = 2;
    config.autoConnect = false;
    config.clientName = "liverack";
    return config;
}

class AudioEngineJackTest : public ::testing::Test {
protected:
    void SetUp() override {
        server_ = std::make_unique<JackServer>(kRate, kPeriod);
        ASSERT_TRUE(server_->isRunning()) << server_->error();
    }
    std::unique_ptr<JackServer> server_;
};

TEST_F(AudioEngineJackTest, ListsTheServersSystemDevice) {
    const ApiInfo jack = AudioEngine::listDevices("jack");
    ASSERT_FALSE(jack.devices.empty()) << jack.problem;
    bool foundSystem = false;
    for (const auto& d : jack.devices) {
        if (d.name == "system") {
            foundSystem = true;
            EXPECT_EQ(d.inputChannels, 2u);
            EXPECT_EQ(d.outputChannels, 2u);
            EXPECT_EQ(d.preferredSampleRate, kRate);
        }
    }
    EXPECT_TRUE(foundSystem);
}

TEST_F(AudioEngineJackTest, GainHalvesAmplitudeExactlyWithNoSampleLostOrRepeatedOverFiveSeconds) {
    AudioEngine engine;
    ASSERT_TRUE(engine.open(jackConfig()));
    ASSERT_TRUE(engine.setChain(gainChain(static_cast<float>(kHalfGainDb))));
    ASSERT_TRUE(engine.start());
    JackTestClient tester("tester", 2);
    ASSERT_TRUE(tester.isOpen()) << tester.error();
    const LoopResult r = loopThrough(tester, "liverack", kHalfGainDb, 6.0, 1);
    std::printf("[ stream ] xruns seen by the tester %zu, dsp load max %.1f %%\n",
                tester.xrunsSeen(), engine.stats().dspLoadMax);
    ASSERT_GE(r.checkedFrames, 5u * kRate);
    expectExactLoop(r, kPeriod, kHalfGainDb, "liverack at 256");
    engine.stop();
}

// A callback that ends after its cycle's deadline is counted late by LiveRack itself (PipeWire's
// JACK tells a late client nothing; jackd's xrun notice comes cycles later, if at all): three
// callbacks made to spin for two and a half periods each are three late cycles at least.
TEST_F(AudioEngineJackTest, CallbacksThatOverrunTheirCycleAreCountedLate) {
    AudioEngine engine;
    ASSERT_TRUE(engine.open(jackConfig()));
    auto stall = std::make_unique<test::CycleStall>();
    test::CycleStall* probe = stall.get();
    ASSERT_TRUE(engine.setChain(chainOf(std::move(stall))));
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(waitFor(
        engine, [&] { return engine.stats().callbacks >= 50; }, 20.0));
    const uint64_t before = engine.stats().lateCycles;
    const uint64_t callbacksBefore = engine.stats().callbacks;
    constexpr unsigned kStalls = 3;
    const auto periodMicros = static_cast<unsigned>(1e6 * kPeriod / kRate);
    probe->stall(kStalls, periodMicros * 5 / 2);
    ASSERT_TRUE(waitFor(
        engine, [&] { return probe->stalled() >= kStalls; }, 20.0));
    // The count is stored after the chain ran: one more callback makes sure the last is in.
    const uint64_t after = engine.stats().callbacks;
    ASSERT_TRUE(waitFor(
        engine, [&] { return engine.stats().callbacks > after; }, 20.0));
    const EngineStatsSnapshot stats = engine.stats();
    std::printf("[ late ] %llu late cycles counted over %llu callbacks (%u stalled)\n",
                static_cast<unsigned long long>(stats.lateCycles - before),
                static_cast<unsigned long long>(stats.callbacks - callbacksBefore), kStalls);
    EXPECT_GE(stats.lateCycles - before, kStalls);
    EXPECT_LE(stats.lateCycles, stats.callbacks);
    engine.stop();
}

// The same signal through a plain pass-through client and through LiveRack, at each period: both
// loops take exactly one period. RtAudio's JACK path took two.
class JackLoopLatencyTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(JackLoopLatencyTest, LoopThroughLiveRackIsExactlyOnePeriodLikeAPassThroughClient) {
    const unsigned period = GetParam();
    JackServer server(kRate, period);
    ASSERT_TRUE(server.isRunning()) << server.error();
    {
        JackTestClient thru("thru", 2, JackTestClient::Mode::PassThrough);
        ASSERT_TRUE(thru.activate());
        JackTestClient tester("tester", 2);
        expectExactLoop(loopThrough(tester, "thru", 0.0, 2.0, period), period, 0.0,
                        "pass-through client at " + std::to_string(period));
    }
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.blockFrames = period;
    ASSERT_TRUE(engine.open(config));
    EXPECT_EQ(engine.streamInfo().blockFrames, period);
    ASSERT_TRUE(engine.setChain(gainChain(static_cast<float>(kHalfGainDb))));
    ASSERT_TRUE(engine.start());
    JackTestClient tester("tester2", 2);
    expectExactLoop(loopThrough(tester, "liverack", kHalfGainDb, 2.0, period + 1), period,
                    kHalfGainDb, "liverack at " + std::to_string(period));
    RecordProperty("period", static_cast<int>(period));
    engine.stop();
}

INSTANTIATE_TEST_SUITE_P(Periods, JackLoopLatencyTest,
                         ::testing::Values(32u, 64u, 128u, 256u, 1024u));

// A limiter with 5 ms of look-ahead delays by exactly its 240 frames at 48 kHz, and no more.
TEST_F(AudioEngineJackTest, LoopWithALimiterIsExactlyOnePeriodPlusItsLookAhead) {
    AudioEngine engine;
    ASSERT_TRUE(engine.open(jackConfig()));
    ASSERT_TRUE(engine.setChain(limiterChain(5.0)));
    EXPECT_EQ(engine.processor().chainLatencyFrames(), 240u);
    ASSERT_TRUE(engine.start());
    JackTestClient tester("tester", 2);
    expectExactLoop(loopThrough(tester, "liverack", 0.0, 2.0, 7), kPeriod + 240, 0.0,
                    "liverack with a 5 ms limiter");
    engine.stop();
}

// JACK-aware recorders compensate what LiveRack publishes on its ports: the chain's latency, read
// back by another client, and following a chain change while streaming.
TEST_F(AudioEngineJackTest, PortsPublishTheChainsLatencyAndFollowAChainChange) {
    AudioEngine engine;
    ASSERT_TRUE(engine.open(jackConfig()));
    ASSERT_TRUE(engine.setChain(gainChain(0.0f)));
    ASSERT_TRUE(engine.start());
    JackTestClient reader("reader", 1);
    ASSERT_TRUE(reader.activate());
    const auto published = [&](const std::string& port, jack_latency_callback_mode_t mode) {
        const jack_latency_range_t r = reader.latencyRange(port, mode);
        return std::pair<unsigned, unsigned>(r.min, r.max);
    };
    using Range = std::pair<unsigned, unsigned>;
    EXPECT_EQ(published("liverack:outport 0", JackCaptureLatency), Range(0, 0));
    EXPECT_EQ(published("liverack:inport 1", JackPlaybackLatency), Range(0, 0));

    ASSERT_TRUE(engine.setChain(limiterChain(5.0)));
    EXPECT_TRUE(waitFor(
        engine,
        [&] {
            return published("liverack:outport 0", JackCaptureLatency) == Range(240, 240) &&
                   published("liverack:outport 1", JackCaptureLatency) == Range(240, 240) &&
                   published("liverack:inport 0", JackPlaybackLatency) == Range(240, 240);
        },
        10.0))
        << "outport 0 capture latency "
        << published("liverack:outport 0", JackCaptureLatency).second
        << ", inport 0 playback latency "
        << published("liverack:inport 0", JackPlaybackLatency).second;
    engine.stop();
}

// The sum of what `jack_lsp -l` prints for the first two ports of `client` in `mode`: the largest.
unsigned jackLspLatency(const std::string& portPrefix, const std::string& mode) {
    test::Subprocess lsp({"/usr/bin/jack_lsp", "-l"});  // from jackd2
    if (!lsp.started() || lsp.wait(10.0) != 0) {
        return ~0u;
    }
    unsigned largest = 0;
    std::istringstream lines(lsp.out());
    std::string line;
    std::string port;
    while (std::getline(lines, line)) {
        if (!line.empty() && line[0] != '\t') {
            port = line;
        } else if (port.rfind(portPrefix, 0) == 0 &&
                   line.find("port " + mode + " latency = [") != std::string::npos) {
            unsigned min = 0;
            unsigned max = 0;
            std::sscanf(line.c_str() + line.find('[') + 1, "%u %u", &min, &max);
            largest = std::max(largest, max);
        }
    }
    return largest;
}

// Connected to the system ports, the round trip LiveRack reports is what JACK says: the capture
// latency of system:capture + the playback latency of system:playback (the chain's comes on top),
// the same before Start (from the ports it will connect) as while running.
TEST_F(AudioEngineJackTest, ReportedRoundTripIsTheSystemPortsLatencyAsJackLspShowsIt) {
    const unsigned capture = jackLspLatency("system:capture_", "capture");
    const unsigned playback = jackLspLatency("system:playback_", "playback");
    ASSERT_NE(capture, ~0u) << "jack_lsp did not run";
    ASSERT_GT(capture, 0u);
    ASSERT_GT(playback, 0u);
    std::printf("[ latency ] jack_lsp -l: capture %u, playback %u frames\n", capture, playback);

    StreamConfig config = jackConfig();
    config.autoConnect = true;
    const auto expected = AudioEngine::expectedStream(config);
    ASSERT_TRUE(expected.has_value());
    EXPECT_EQ(expected->deviceLatencyFrames, capture + playback);
    EXPECT_EQ(expected->blockFrames, kPeriod);
    EXPECT_EQ(expected->sampleRate, kRate);
    AudioEngine engine;
    ASSERT_TRUE(engine.open(config));
    EXPECT_EQ(engine.streamInfo().latencyFrames(), capture + playback);
    ASSERT_TRUE(engine.start());
    engine.poll();
    EXPECT_EQ(engine.streamInfo().latencyFrames(), capture + playback);
    engine.stop();
}

// A period change while streaming: LiveRack follows it without a pause, before and after the
// change the loop is exact at that period's latency, and only the cycles at the change differ.
TEST_F(AudioEngineJackTest, PeriodChangedWhileStreamingIsFollowedWithoutLosingTheStream) {
    AudioEngine engine;
    ASSERT_TRUE(engine.open(jackConfig()));
    ASSERT_TRUE(engine.start());
    JackTestClient tester("tester", 2);
    const size_t frames = 4 * kRate;
    const auto play = test::loopSignal(frames + kRate, 11);
    tester.setPlayback(play);
    tester.setRecordCapacity(frames);
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(tester.ports("liverack", JackPortIsInput)));
    ASSERT_TRUE(tester.connectInputsFrom(tester.ports("liverack", JackPortIsOutput)));
    ASSERT_TRUE(tester.waitForRecorded(frames / 2, 30.0));
    ASSERT_EQ(tester.setBufferSize(128), 0) << "the server refused a period of 128";
    ASSERT_TRUE(tester.waitForRecorded(frames, 30.0));
    EXPECT_TRUE(waitFor(
        engine, [&] { return engine.streamInfo().blockFrames == 128u; }, 5.0))
        << "the engine reports a block of " << engine.streamInfo().blockFrames;
    EXPECT_TRUE(engine.isRunning());
    EXPECT_FALSE(engine.streamLost()) << engine.streamLostReason();

    // Where the change happened, from the tester's own log of its cycles.
    size_t change = 0;
    for (const auto& cycle : tester.cycles()) {
        if (cycle.frames == 128u) {
            change = cycle.firstFrame;
            break;
        }
    }
    ASSERT_GT(change, 0u) << "the tester never ran a 128-frame cycle";
    const long arrival = test::firstArrival(tester, 0, 1e-3f);
    ASSERT_GE(arrival, 0);
    const LoopResult before =
        test::measureLoop(tester, play, 1.0, arrival + kRate / 2, change - 2 * kPeriod, 8192);
    const LoopResult after =
        test::measureLoop(tester, play, 1.0, change + 4 * kPeriod, frames, 8192);
    expectExactLoop(before, kPeriod, 0.0, "before the change to 128");
    expectExactLoop(after, 128, 0.0, "after the change to 128");
    engine.stop();
}

TEST_F(AudioEngineJackTest, OutputOnlyStreamPlaysTheTestSignalAtItsLevel) {
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.inputDevice = StreamConfig::kNone;
    config.source = "sine:1000";
    ASSERT_TRUE(engine.open(config));
    EXPECT_EQ(engine.streamInfo().inputChannels, 0u);
    EXPECT_EQ(engine.streamInfo().outputChannels, 2u);
    ASSERT_TRUE(engine.start());
    JackTestClient tester("tester", 2);
    tester.setRecordCapacity(kRate);
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectInputsFrom(tester.ports("liverack", JackPortIsOutput)));
    ASSERT_TRUE(tester.waitForRecorded(kRate, 20.0));
    float peak = 0.0f;
    for (size_t i = kRate / 2; i < kRate; ++i) {
        peak = std::max(peak, std::abs(tester.recording()[1][i]));
    }
    EXPECT_NEAR(20.0 * std::log10(peak), -18.0, 0.05);  // the test signal's documented level
    engine.stop();
}

TEST_F(AudioEngineJackTest, InputOnlyStreamFeedsTheTapsWithTheDeviceInput) {
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.outputDevice = StreamConfig::kNone;
    ASSERT_TRUE(engine.open(config));
    EXPECT_EQ(engine.streamInfo().outputChannels, 0u);
    JackTestClient tester("tester", 2);
    tester.setPlayback(
        {std::vector<float>(kRate * 4, 0.25f), std::vector<float>(kRate * 4, 0.25f)});
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(tester.ports("liverack", JackPortIsInput)));
    auto& pre = engine.processor().taps().analysis(Tap::Pre);
    std::vector<float> l(256), r(256);
    float* dest[2] = {l.data(), r.data()};
    bool sawInput = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!sawInput && std::chrono::steady_clock::now() < deadline) {
        if (pre.pop(dest, 256) == 256) {
            sawInput = l[255] == 0.25f && r[255] == 0.25f;
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));  // consumer cadence
        }
    }
    EXPECT_TRUE(sawInput);
    engine.stop();
}

TEST_F(AudioEngineJackTest, UnknownDeviceNameIsRefusedWithTheListOfDevices) {
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.outputDevice = "Nonexistent Interface";
    const Status status = engine.open(config);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().find("Nonexistent Interface"), std::string::npos) << status.error();
    EXPECT_NE(status.error().find("'system'"), std::string::npos) << status.error();
}

TEST_F(AudioEngineJackTest, DeviceNameMatchesByCaseInsensitiveSubstring) {
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.inputDevice = "SYST";
    config.outputDevice = "sys";
    ASSERT_TRUE(engine.open(config));
    EXPECT_EQ(engine.streamInfo().inputDevice, "system");
    EXPECT_EQ(engine.streamInfo().outputDevice, "system");
}

TEST_F(AudioEngineJackTest, UnsupportedRateIsRefusedNamingTheRatesOffered) {
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.sampleRate = 44100;
    const Status status = engine.open(config);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().find("44100"), std::string::npos) << status.error();
    EXPECT_NE(status.error().find("48000"), std::string::npos) << status.error();
}

TEST_F(AudioEngineJackTest, ServerKilledWhileStreamingIsReportedAsLostWithoutCrashing) {
    AudioEngine engine;
    ASSERT_TRUE(engine.open(jackConfig()));
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(waitFor(
        engine, [&] { return engine.stats().callbacks > 10; }, 10.0));
    server_->kill();
    ASSERT_TRUE(waitFor(
        engine, [&] { return engine.streamLost(); }, 10.0))
        << "loss not noticed";
    EXPECT_NE(engine.streamLostReason().find("JACK"), std::string::npos)
        << engine.streamLostReason();
    engine.close();  // must neither hang nor crash
    EXPECT_FALSE(engine.isOpen());
}

// Ten server deaths in a row, each noticed once (libjack's info-shutdown call), reported with
// its sentence, and closed cleanly: RtAudio's JACK path once ended the program in std::terminate
// here, one death in 40 to 60.
TEST_F(AudioEngineJackTest, EveryServerDeathIsReportedAndClosedCleanly) {
    for (int death = 0; death < 10; ++death) {
        auto server = std::make_unique<JackServer>(kRate, kPeriod);
        ASSERT_TRUE(server->isRunning()) << server->error();
        AudioEngine engine;
        ASSERT_TRUE(engine.open(jackConfig()));
        ASSERT_TRUE(engine.start());
        ASSERT_TRUE(waitFor(
            engine, [&] { return engine.stats().callbacks > 10; }, 10.0));
        server->kill();
        ASSERT_TRUE(waitFor(
            engine, [&] { return engine.streamLost(); }, 10.0))
            << "loss not noticed, death " << death;
        EXPECT_EQ(engine.streamLostReason(),
                  "the JACK server shut down or disconnected LiveRack; the stream stopped");
        EXPECT_FALSE(engine.isRunning());
        engine.close();  // closes the client of a dead server: must neither hang nor crash
        EXPECT_FALSE(engine.isOpen());
    }
}

// A server that hangs (here: stopped with SIGSTOP) cannot make LiveRack hang: stopping gives up
// within its bound and reports the stream abandoned.
TEST_F(AudioEngineJackTest, StoppingOnAHungServerReturnsWithinItsBound) {
    AudioEngine engine;
    ASSERT_TRUE(engine.open(jackConfig()));
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(waitFor(
        engine, [&] { return engine.stats().callbacks > 10; }, 10.0));
    server_->freeze();
    const auto begun = std::chrono::steady_clock::now();
    engine.stop();
    engine.close();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
    server_->thaw();
    server_->kill();
    std::printf("[ stop ] on a hung server: %.2f s\n", seconds);
    EXPECT_LT(seconds, 2.0);
    EXPECT_TRUE(engine.abandoned());
    EXPECT_NE(engine.streamLostReason().find("abandoned"), std::string::npos)
        << engine.streamLostReason();
}

TEST(AudioEngineNoServerTest, NoJackServerIsExplainedWithAnAlternative) {
    setenv("JACK_DEFAULT_SERVER", "liverack-test-nobody-home", 1);
    setenv("JACK_NO_START_SERVER", "1", 1);
    AudioEngine engine;
    StreamConfig config = jackConfig();
    const Status status = engine.open(config);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().find("no JACK server is running"), std::string::npos)
        << status.error();
    EXPECT_NE(status.error().find("ALSA"), std::string::npos) << status.error();
}

TEST(AudioEngineNullTest, NullDeviceStreamsTheTestSignalAtRealTimePace) {
    AudioEngine engine;
    StreamConfig config;
    config.api = "null";
    config.source = "sine:440";
    config.blockFrames = 512;
    ASSERT_TRUE(engine.open(config));
    ASSERT_TRUE(engine.start());
    const auto begun = std::chrono::steady_clock::now();
    auto& post = engine.processor().taps().analysis(Tap::Post);
    std::vector<float> l(512), r(512);
    float* dest[2] = {l.data(), r.data()};
    size_t received = 0;
    while (received < 48000 &&
           std::chrono::steady_clock::now() - begun < std::chrono::seconds(10)) {
        received += post.pop(dest, 512);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // consumer cadence
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
    engine.stop();
    EXPECT_GE(received, 48000u);
    // One second of audio cannot arrive much faster than one second: it is paced, not spun.
    EXPECT_GT(elapsed, 0.8);
}

}  // namespace
}  // namespace liverack::core
