// The reference input on a real JACK server (dummy backend, 48 kHz): asked for, LiveRack has
// ports "refport 1", "refport 2"; what a client plays into them reaches the effects' reference
// sample-exact and in the same cycle as what it plays into the inputs (a probe that subtracts the
// reference from the input, fed the same noise on both, is silent, and stops being silent on the
// channel whose reference is cut). `--reference NAME` (in process and as the real binary runs
// headless) connects them to the ports NAME names, by the documented rule, or says why not.
#include <gtest/gtest.h>
#include <jack/jack.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/engine/AudioEngine.h"
#include "tests/support/EngineWait.h"
#include "tests/support/HeadlessLiveRack.h"
#include "tests/support/JackServer.h"
#include "tests/support/JackTestClient.h"
#include "tests/support/ReferenceProbe.h"
#include "tests/support/Subprocess.h"

namespace liverack::core {
namespace {

using test::JackServer;
using test::JackTestClient;
using test::ReferenceProbe;
using test::waitFor;

constexpr unsigned kRate = 48000;
constexpr unsigned kPeriod = 256;

using Ports = std::vector<std::string>;

StreamConfig jackConfig() {
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 0;
    config.blockFrames = kPeriod;
    config.channels = 2;
    config.autoConnect = false;
    return config;
}

std::unique_ptr<EffectChain> probeChain(ReferenceProbe*& probe) {
    auto owned = std::make_unique<ReferenceProbe>();
    probe = owned.get();
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::move(owned)));
    return std::make_unique<EffectChain>(std::move(slots));
}

std::vector<float> noise(unsigned seed, size_t frames) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-0.5f, 0.5f);
    std::vector<float> samples(frames);
    for (float& s : samples) {
        s = uniform(rng);
    }
    return samples;
}

// A client shaped like a PipeWire sink as its JACK layer shows it: capture ports (a microphone
// of the same device) and monitor ports (what the sink plays), all outputs. Active, silent.
class FakeSink {
public:
    explicit FakeSink(const std::string& name) {
        jack_status_t status{};
        client_ = jack_client_open(name.c_str(), JackNoStartServer, &status);
        if (client_ == nullptr) {
            return;
        }
        for (const char* port : {"capture_FL", "capture_FR", "monitor_FL", "monitor_FR"}) {
            jack_port_register(client_, port, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
        }
        active_ = jack_activate(client_) == 0;
    }
    ~FakeSink() {
        if (client_ != nullptr) {
            jack_deactivate(client_);
            jack_client_close(client_);
        }
    }
    FakeSink(const FakeSink&) = delete;
    FakeSink& operator=(const FakeSink&) = delete;
    bool isOpen() const { return client_ != nullptr && active_; }

private:
    jack_client_t* client_ = nullptr;
    bool active_ = false;
};

class JackReferenceInputTest : public ::testing::Test {
protected:
    void SetUp() override {
        server_ = JackServer::startWithRetries();
        ASSERT_TRUE(server_->isRunning()) << server_->error();
    }
    // What LiveRack's reference ports are connected to, as another client sees it.
    static std::vector<Ports> referenceConnections(const JackTestClient& reader) {
        return {reader.connections("liverack:refport 1"), reader.connections("liverack:refport 2")};
    }
    // The same once it is `expected`, or after 10 s: jackd2 publishes a changed graph to the
    // other clients at a cycle boundary, so a reader may see new connections a cycle late.
    static std::vector<Ports> referenceConnectionsOnce(const JackTestClient& reader,
                                                       const std::vector<Ports>& expected) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (referenceConnections(reader) != expected &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // poll cadence
        }
        return referenceConnections(reader);
    }
    std::unique_ptr<JackServer> server_;
};

TEST_F(JackReferenceInputTest, ReferencePortsExistOnlyWhenAReferenceIsAskedFor) {
    JackTestClient reader("reader", 1);
    ASSERT_TRUE(reader.isOpen()) << reader.error();
    {
        AudioEngine engine;
        ASSERT_TRUE(engine.open(jackConfig()));
        EXPECT_EQ(reader.ports("liverack", JackPortIsInput),
                  (Ports{"liverack:inport 0", "liverack:inport 1"}));
        EXPECT_EQ(engine.streamInfo().referenceChannels, 0u);
    }
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.referenceInput = true;
    ASSERT_TRUE(engine.open(config));
    EXPECT_EQ(reader.ports("liverack", JackPortIsInput),
              (Ports{"liverack:inport 0", "liverack:inport 1", "liverack:refport 1",
                     "liverack:refport 2"}));
    EXPECT_EQ(reader.ports("liverack", JackPortIsOutput),
              (Ports{"liverack:outport 0", "liverack:outport 1"}));
    EXPECT_EQ(engine.streamInfo().referenceChannels, 2u);
    EXPECT_EQ(engine.streamInfo().reference, "");
    ASSERT_TRUE(engine.start());
    EXPECT_EQ(referenceConnections(reader), (std::vector<Ports>{{}, {}}));  // asked, not named
    engine.stop();
}

// The tester plays noise A into inport 0 and refport 1, noise B into inport 1 and refport 2, and
// records LiveRack's outputs. Input minus reference is exactly zero on both channels: a
// reference one cycle late (or one sample, or the channels crossed) would leave noise there.
// Then refport 1 is cut: channel 1 carries A again, channel 2 stays silent.
TEST_F(JackReferenceInputTest, ReferenceReachesTheEffectsSampleExactInTheSameCycleAsTheInput) {
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.referenceInput = true;
    ASSERT_TRUE(engine.open(config));
    ReferenceProbe* probe = nullptr;
    ASSERT_TRUE(engine.setChain(probeChain(probe)));
    ASSERT_TRUE(engine.start());

    JackTestClient tester("tester", 4);
    ASSERT_TRUE(tester.isOpen()) << tester.error();
    const size_t total = 5 * kRate;
    const std::vector<float> a = noise(1, total + kRate);
    const std::vector<float> b = noise(2, total + kRate);
    tester.setPlayback({a, b, a, b});
    tester.setRecordCapacity(total);
    ASSERT_TRUE(tester.activate());
    ASSERT_TRUE(tester.connectOutputsTo(
        {"liverack:inport 0", "liverack:inport 1", "liverack:refport 1", "liverack:refport 2"}));
    // Two of its four inputs record LiveRack's outputs (the call reports the other two unfed).
    tester.connectInputsFrom({"liverack:outport 0", "liverack:outport 1"});
    const auto recordsChannelTwo = [&] {
        return tester.connections("tester:in_2") == Ports{"liverack:outport 1"};
    };
    ASSERT_TRUE(waitFor(engine, recordsChannelTwo, 10.0));
    // While the four connections were being made some cycles had an input without its
    // reference; what was recorded up to now plus two cycles in flight is not the question.
    const size_t connected = tester.recordedFrames() + 4 * kPeriod;
    const uint64_t callbacks = engine.stats().callbacks;
    ASSERT_TRUE(waitFor(
        engine, [&] { return engine.stats().callbacks > callbacks + 4; }, 10.0));
    probe->clearPeaks();

    ASSERT_TRUE(tester.waitForRecorded(connected + 2 * kRate, 30.0));
    EXPECT_GT(probe->inputPeak(), 0.45f) << "the noise did not reach the input";
    EXPECT_GT(probe->referencePeak(), 0.45f) << "the noise did not reach the reference";
    const float bothPeak = probe->outputPeak();
    ASSERT_TRUE(tester.disconnectAll("liverack:refport 1"));
    const size_t cut = tester.recordedFrames() + 4 * kPeriod;
    ASSERT_TRUE(tester.waitForRecorded(total, 30.0));
    ASSERT_LT(cut + kRate / 2, total) << "the machine is too slow for this test's timing";

    const std::vector<bool> suspect = tester.suspectFrames();
    const auto& out = tester.recording();
    size_t excused = 0;
    size_t notSilent = 0;
    for (size_t n = connected; n < cut - 4 * kPeriod; ++n) {
        if (suspect[n]) {
            ++excused;
        } else if (out[0][n] != 0.0f || out[1][n] != 0.0f) {
            ++notSilent;
        }
    }
    float channelOnePeak = 0.0f;
    size_t channelTwoNotSilent = 0;
    for (size_t n = cut; n < total; ++n) {
        if (!suspect[n]) {
            channelOnePeak = std::max(channelOnePeak, std::abs(out[0][n]));
            channelTwoNotSilent += out[1][n] != 0.0f ? 1 : 0;
        }
    }
    std::printf(
        "[ reference ] %zu frames checked, %zu excused (xruns seen %zu); probe's peak "
        "with both connected %g\n",
        cut - 4 * kPeriod - connected, excused, tester.xrunsSeen(), bothPeak);
    EXPECT_EQ(notSilent, 0u) << "frames where input minus reference was not exactly zero";
    EXPECT_GT(cut - 4 * kPeriod - connected - excused, kRate) << "too little was checked";
    EXPECT_GT(channelOnePeak, 0.45f) << "with refport 1 cut, channel 1 should carry its input";
    EXPECT_EQ(channelTwoNotSilent, 0u);
    EXPECT_EQ(probe->unannounced(), 0u);
    engine.stop();
}

// --reference NAME by the rule StreamConfig::reference documents, autoconnect off all along.
TEST_F(JackReferenceInputTest, AClientNameConnectsItsMonitorPortsNotItsCapturePorts) {
    FakeSink sink("Far End");
    ASSERT_TRUE(sink.isOpen());
    JackTestClient reader("reader", 1);
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.reference = "Far End";
    ASSERT_TRUE(engine.open(config));
    EXPECT_EQ(engine.streamInfo().referenceChannels, 2u);
    EXPECT_EQ(engine.streamInfo().reference, "Far End:monitor_FL, Far End:monitor_FR");
    EXPECT_EQ(referenceConnections(reader), (std::vector<Ports>{{}, {}}));  // not before start
    ASSERT_TRUE(engine.start());
    const std::vector<Ports> expected{{"Far End:monitor_FL"}, {"Far End:monitor_FR"}};
    EXPECT_EQ(referenceConnectionsOnce(reader, expected), expected);
    EXPECT_EQ(reader.connections("liverack:inport 0"), Ports{});  // --no-autoconnect still holds
    engine.stop();
}

TEST_F(JackReferenceInputTest, AFullPortNameFeedsEveryReferencePortLikeAMonoFarEnd) {
    FakeSink sink("Far End");
    ASSERT_TRUE(sink.isOpen());
    JackTestClient reader("reader", 1);
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.reference = "Far End:capture_FR";
    ASSERT_TRUE(engine.open(config));
    ASSERT_TRUE(engine.start());
    const std::vector<Ports> expected{{"Far End:capture_FR"}, {"Far End:capture_FR"}};
    EXPECT_EQ(referenceConnectionsOnce(reader, expected), expected);
    engine.stop();
}

TEST_F(JackReferenceInputTest, APartOfAPortNameMatchesIgnoringCase) {
    FakeSink sink("Far End");
    ASSERT_TRUE(sink.isOpen());
    JackTestClient reader("reader", 1);
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.reference = "far end:CAPTURE";
    ASSERT_TRUE(engine.open(config));
    ASSERT_TRUE(engine.start());
    const std::vector<Ports> expected{{"Far End:capture_FL"}, {"Far End:capture_FR"}};
    EXPECT_EQ(referenceConnectionsOnce(reader, expected), expected);
    engine.stop();
}

TEST_F(JackReferenceInputTest, AClientWithoutMonitorPortsConnectsItsOutputPorts) {
    JackTestClient player("player", 2);
    ASSERT_TRUE(player.activate());
    JackTestClient reader("reader", 1);
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.reference = "player";
    ASSERT_TRUE(engine.open(config));
    ASSERT_TRUE(engine.start());
    const std::vector<Ports> expected{{"player:out_1"}, {"player:out_2"}};
    EXPECT_EQ(referenceConnectionsOnce(reader, expected), expected);
    engine.stop();
}

TEST_F(JackReferenceInputTest, ANameThatMatchesNothingIsRefusedListingTheClients) {
    FakeSink sink("Far End");
    ASSERT_TRUE(sink.isOpen());
    AudioEngine engine;
    StreamConfig config = jackConfig();
    config.reference = "Nobody Here";
    const Status status = engine.open(config);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().find("'Nobody Here'"), std::string::npos) << status.error();
    EXPECT_NE(status.error().find("'Far End'"), std::string::npos) << status.error();
    EXPECT_NE(status.error().find("'system'"), std::string::npos) << status.error();
    EXPECT_FALSE(engine.isOpen());
}

// The real program, as a person runs it: `liverack --headless --api jack --no-autoconnect
// --reference "Far End"` connects its reference ports to the sink's monitor ports.
TEST_F(JackReferenceInputTest, HeadlessWithAReferenceConnectsItsReferencePortsToTheNamedPorts) {
    FakeSink sink("Far End");
    ASSERT_TRUE(sink.isOpen());
    auto liverack =
        test::startHeadlessLiveRack(LIVERACK_BINARY, *server_, {"--reference", "Far End"});
    ASSERT_TRUE(liverack->started());
    JackTestClient reader("reader", 1);
    const std::vector<Ports> expected{{"Far End:monitor_FL"}, {"Far End:monitor_FR"}};
    EXPECT_EQ(referenceConnectionsOnce(reader, expected), expected) << liverack->err();
    EXPECT_EQ(reader.connections("liverack:inport 0"), Ports{});
    test::stopHeadlessLiveRack(*liverack);
}

TEST(ReferenceOptionTest, AnEmptyReferenceNameIsAUsageErrorWithASentence) {
    test::Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "null", "--source",
                               "sine:440", "--reference", ""});
    ASSERT_TRUE(liverack.started());
    EXPECT_EQ(liverack.wait(20.0), 2);
    EXPECT_NE(liverack.err().find("--reference takes the JACK client or port"), std::string::npos)
        << liverack.err();
    EXPECT_NE(liverack.err().find("Try 'liverack --help'"), std::string::npos) << liverack.err();
}

// No reference on the other APIs: the null device streams, and the effects get an empty one.
TEST(ReferenceWithoutJackTest, OnTheNullDeviceTheEffectsGetAnEmptyReference) {
    AudioEngine engine;
    StreamConfig config;
    config.api = "null";
    config.source = "sine:440";
    config.reference = "Far End";
    ASSERT_TRUE(engine.open(config));
    EXPECT_EQ(engine.streamInfo().referenceChannels, 0u);
    ReferenceProbe* probe = nullptr;
    ASSERT_TRUE(engine.setChain(probeChain(probe)));
    ASSERT_TRUE(engine.start());
    ASSERT_TRUE(waitFor(
        engine, [&] { return probe->processes() > 10; }, 10.0));
    engine.stop();
    EXPECT_GT(probe->references(), 10u);
    EXPECT_EQ(probe->referencesWithChannels(), 0u);
}

}  // namespace
}  // namespace liverack::core
