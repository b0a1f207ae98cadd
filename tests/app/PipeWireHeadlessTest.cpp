// `liverack --headless` on a PipeWire desktop, as most Linux users run it: a private headless
// PipeWire (session D-Bus, pipewire, wireplumber, pipewire-pulse; its "Dummy Output" drives the
// graph), and plain liverack, not started under pw-jack, must land on PipeWire's JACK by itself,
// get the block it asks for, follow quantum changes while streaming and stop promptly on SIGINT.
// This program is itself a client of PipeWire's JACK (it restarts itself on PipeWire's libjack
// before the tests run) to route and measure the loop.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/JackLoopMeasurement.h"
#include "tests/support/JackTestClient.h"
#include "tests/support/PipeWireSession.h"
#include "tests/support/Subprocess.h"

namespace liverack::test {
namespace {

constexpr double kStartTimeout = 20.0;
bool onPipeWireJack = false;

class PipeWireHeadlessTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(onPipeWireJack) << "this program did not come up on PipeWire's libjack "
                                       "(is pipewire-jack installed?)";
        session_ = std::make_unique<PipeWireSession>();
        ASSERT_TRUE(session_->isRunning()) << session_->error();
        // WirePlumber creates the Dummy Output shortly after it connects.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            tester_ = std::make_unique<JackTestClient>("tester", 2);
            if (tester_->isOpen() && !tester_->ports("Dummy Output", JackPortIsInput).empty()) {
                return;
            }
            tester_.reset();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // session starting
        }
        FAIL() << "PipeWire's JACK shows no 'Dummy Output'";
    }
    void TearDown() override {
        tester_.reset();
        session_.reset();
    }

    std::unique_ptr<PipeWireSession> session_;
    std::unique_ptr<JackTestClient> tester_;
};

// Where the tester's cycles first had `frames` frames, from `after` on; 0 if never.
size_t firstCycleOf(const JackTestClient& tester, unsigned frames, size_t after) {
    for (const auto& cycle : tester.cycles()) {
        if (cycle.firstFrame >= after && cycle.frames == frames) {
            return cycle.firstFrame;
        }
    }
    return 0;
}

// "1024 x 3, 128 x 2000, 256 x ...": the tester's cycle sizes as they came, for a failure message.
std::string quantumHistory(const JackTestClient& tester) {
    std::string text;
    unsigned current = 0;
    size_t run = 0;
    const auto flush = [&] {
        if (run > 0) {
            text +=
                (text.empty() ? "" : ", ") + std::to_string(current) + " x " + std::to_string(run);
        }
    };
    for (const auto& cycle : tester.cycles()) {
        if (cycle.frames != current) {
            flush();
            current = cycle.frames;
            run = 0;
        }
        ++run;
    }
    flush();
    return text;
}

TEST_F(PipeWireHeadlessTest, PlainLiveRackRunsOnPipeWiresJackAtItsBlockAndFollowsQuantumChanges) {
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--no-autoconnect", "--block", "128"});
    ASSERT_TRUE(liverack.started());
    ASSERT_TRUE(liverack.waitForStderr("streaming on", kStartTimeout)) << liverack.err();
    ASSERT_NE(liverack.err().find("streaming on JACK"), std::string::npos) << liverack.err();

    const size_t rate = static_cast<size_t>(tester_->sampleRate());
    const size_t frames = 9 * rate;
    const auto play = loopSignal(frames + rate, 5);
    tester_->setPlayback(play);
    tester_->setRecordCapacity(frames);
    ASSERT_TRUE(tester_->activate());
    ASSERT_TRUE(tester_->connectOutputsTo(tester_->ports("liverack", JackPortIsInput)));
    ASSERT_TRUE(tester_->connectInputsFrom(tester_->ports("liverack", JackPortIsOutput)));
    ASSERT_TRUE(tester_->waitForRecorded(3 * rate, 30.0));
    ASSERT_TRUE(session_->forceQuantum(256));
    ASSERT_TRUE(tester_->waitForRecorded(6 * rate, 30.0));
    ASSERT_TRUE(session_->forceQuantum(128));
    ASSERT_TRUE(tester_->waitForRecorded(frames, 30.0));
    EXPECT_TRUE(session_->forceQuantum(0));

    const long arrival = firstArrival(*tester_, 0, 1e-3f);
    ASSERT_GE(arrival, 0) << "nothing came back through liverack";
    // The graph settles on the smallest quantum asked for once both clients run: from there on.
    const size_t at128 = firstCycleOf(*tester_, 128, static_cast<size_t>(arrival));
    ASSERT_GT(at128, 0u) << "the quantum never became 128: " << quantumHistory(*tester_);
    ASSERT_LT(at128, static_cast<size_t>(arrival) + 2 * rate)
        << "the graph took more than 2 s to run at 128: " << quantumHistory(*tester_);
    const size_t to256 = firstCycleOf(*tester_, 256, at128);
    ASSERT_GT(to256, 0u) << "the quantum never became 256";
    const size_t back = firstCycleOf(*tester_, 128, to256);
    ASSERT_GT(back, 0u) << "the quantum never came back to 128";
    expectExactLoop(
        measureLoop(*tester_, play, 1.0, std::max<size_t>(at128 + 2048, arrival + rate / 2),
                    to256 - 512, 8192),
        128, 0.0, "at the block asked for, 128");
    std::printf("[ quantum ] %s\n", quantumHistory(*tester_).c_str());
    expectExactLoop(measureLoop(*tester_, play, 1.0, to256 + 2048, back - 512, 8192), 256, 0.0,
                    "with the quantum forced to 256");
    expectExactLoop(measureLoop(*tester_, play, 1.0, back + 2048, frames, 8192), 128, 0.0,
                    "back at 128");
    tester_->deactivate();

    const auto signalled = std::chrono::steady_clock::now();
    liverack.sendSignal(SIGINT);
    EXPECT_EQ(liverack.wait(10.0), 0) << liverack.err();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
    std::printf("[ stop ] SIGINT to exit: %.2f s\n", seconds);
    EXPECT_LT(seconds, 1.0);
    const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << liverack.out();
    EXPECT_EQ(stats.value("block_frames", 0u), 128u);
}

// PipeWire's default input is the monitor of its default output: started plainly, LiveRack would
// hear itself. It refuses that stream with a sentence saying why and how to choose, and (as with
// no device at all, since nothing was named) runs on the built-in test signal into no output.
TEST_F(PipeWireHeadlessTest, DefaultInputThatIsTheOutputsMonitorIsRefusedWithItsReason) {
    Subprocess liverack({LIVERACK_BINARY, "--headless"});
    ASSERT_TRUE(liverack.waitForStderr("streaming on", kStartTimeout)) << liverack.err();
    EXPECT_NE(liverack.err().find("the default input is the monitor of 'Dummy Output'"),
              std::string::npos)
        << liverack.err();
    EXPECT_NE(liverack.err().find("--input"), std::string::npos) << liverack.err();
    EXPECT_NE(liverack.err().find("streaming on Null"), std::string::npos) << liverack.err();
    EXPECT_TRUE(tester_->ports("liverack", 0).empty()) << "liverack is on the JACK graph";
    liverack.sendSignal(SIGINT);
    EXPECT_EQ(liverack.wait(10.0), 0) << liverack.err();
}

// Delays of the impulses (channel 1 of loopSignal) played in [from, to): for each, the first
// recorded frame above a quarter of its height after it was played. Cheap enough to run while
// streaming, where the noise search would load the machine and disturb what it measures.
std::vector<long> impulseDelays(const JackTestClient& tester, size_t from, size_t to,
                                long maxDelay) {
    std::vector<long> delays;
    const auto& recorded = tester.recording()[1];
    const size_t end = std::min(tester.recordedFrames(), recorded.size());
    for (size_t played = (from + kImpulseSpacing - 1) / kImpulseSpacing * kImpulseSpacing;
         played < to && played + static_cast<size_t>(maxDelay) <= end; played += kImpulseSpacing) {
        long delay = -1;
        for (size_t i = played; i < played + static_cast<size_t>(maxDelay); ++i) {
            if (std::fabs(recorded[i]) > 0.125f) {
                delay = static_cast<long>(i - played);
                break;
            }
        }
        delays.push_back(delay);
    }
    return delays;
}

bool allEqualAndFound(const std::vector<long>& delays) {
    return !delays.empty() && delays.front() >= 0 &&
           std::all_of(delays.begin(), delays.end(), [&](long d) { return d == delays.front(); });
}

// On the Pulse API the latency LiveRack reports comes from what the server says of its two
// streams, and must be what a sample takes: the tester feeds LiveRack's record stream and hears
// its playback stream, both linked to nothing else, and the loop it measures must be within one
// block of the latency reported. (RtAudio's PulseAudio path reported one block and looped in seven
// or eight.) An underrun or overrun (counted as an xrun) moves the loop; the latency reported at
// exit averages about the last second, so an attempt counts only when the loop held still for the
// second and a half before the stop, and a moved loop means another attempt, at most three.
TEST_F(PipeWireHeadlessTest, PulseLatencyReportedIsTheLoopMeasuredWithinOneBlock) {
    constexpr unsigned kBlock = 256;
    constexpr long kMaxDelay = 4800;  // 100 ms: beyond it an impulse would be taken for the next
    for (int attempt = 1; attempt <= 3; ++attempt) {
        Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "pulse", "--input",
                             "Monitor of Dummy Output", "--block", std::to_string(kBlock)});
        ASSERT_TRUE(liverack.waitForStderr("streaming on PulseAudio", kStartTimeout))
            << liverack.err();
        // The session manager links the record stream to the monitor and the playback stream to
        // the Dummy Output; the tester takes both links over, so LiveRack hears only the tester.
        const std::string streams = "liverack(-[0-9]+)?";
        std::vector<std::string> inputs;
        std::vector<std::string> outputs;
        const auto linked = [&] {
            inputs = tester_->ports(streams, JackPortIsInput);
            outputs.clear();
            for (const auto& port : tester_->ports(streams, JackPortIsOutput)) {
                if (port.find(":output_") != std::string::npos) {
                    outputs.push_back(port);
                }
            }
            bool all = inputs.size() == 2 && outputs.size() == 2;
            for (const auto& port : inputs) {
                all = all && !tester_->connections(port).empty();
            }
            for (const auto& port : outputs) {
                all = all && !tester_->connections(port).empty();
            }
            return all;
        };
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!linked() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the session manager
        }
        ASSERT_TRUE(linked()) << "the session manager never linked liverack's streams";

        tester_ = std::make_unique<JackTestClient>("tester", 2);
        ASSERT_TRUE(tester_->isOpen()) << tester_->error();
        const size_t rate = static_cast<size_t>(tester_->sampleRate());
        const size_t capacity = 30 * rate;
        const auto play = loopSignal(capacity + rate, 11);
        tester_->setPlayback(play);
        tester_->setRecordCapacity(capacity);
        ASSERT_TRUE(tester_->activate());
        for (const auto& port : inputs) {
            ASSERT_TRUE(tester_->disconnectAll(port)) << port;
        }
        for (const auto& port : outputs) {
            ASSERT_TRUE(tester_->disconnectAll(port)) << port;
        }
        ASSERT_TRUE(tester_->connectOutputsTo(inputs));
        ASSERT_TRUE(tester_->connectInputsFrom(outputs));

        const size_t settled = 3 * rate;  // the streams start with an underrun or two
        const size_t window = 3 * rate / 2;
        size_t end = settled + window;
        ASSERT_TRUE(tester_->waitForRecorded(end + kMaxDelay, 30.0));
        while (!allEqualAndFound(impulseDelays(*tester_, end - window, end, kMaxDelay)) &&
               end + rate / 4 + kMaxDelay < capacity) {
            end += rate / 4;
            ASSERT_TRUE(tester_->waitForRecorded(end + kMaxDelay, 30.0));
        }
        // Stopped while the tester still runs: the latency reported at exit is of this route.
        end = tester_->recordedFrames();
        liverack.sendSignal(SIGINT);
        ASSERT_EQ(liverack.wait(10.0), 0) << liverack.err();
        tester_->deactivate();
        const auto stats = nlohmann::json::parse(liverack.out(), nullptr, false);
        ASSERT_FALSE(stats.is_discarded()) << liverack.out();
        const long reported = stats.value("latency_frames", 0L);

        // The impulses whose return came before the stop.
        const auto delays = impulseDelays(*tester_, end - window, end - kMaxDelay, kMaxDelay);
        std::string history;
        for (long d : delays) {
            history += std::to_string(d) + " ";
        }
        std::printf(
            "[ pulse ] attempt %d, block %u: impulses came back after %s(the %.1f s "
            "before the stop), latency reported %ld frames, xruns %d\n",
            attempt, kBlock, history.c_str(), double(window) / rate, reported,
            stats.value("xruns", -1));
        if (!allEqualAndFound(delays)) {
            continue;  // the loop moved while the reported latency was being averaged
        }
        // The noise agrees with the impulses.
        const LoopResult loop = measureLoop(*tester_, play, 1.0, end - rate, end, kMaxDelay);
        EXPECT_EQ(loop.latency, delays.front());
        EXPECT_LE(std::labs(delays.front() - reported), static_cast<long>(kBlock))
            << "measured " << delays.front() << ", reported " << reported;
        return;
    }
    FAIL() << "in three attempts the loop never held still for 1.5 s before the stop";
}

// RtAudio offered PulseAudio's default device only; every sink and source is listed now, as
// `pactl` knows them, with the server's defaults marked and its rate as the native one.
TEST_F(PipeWireHeadlessTest, PulseListsEverySinkAndSourceWithTheServersDefaults) {
    Subprocess devices({LIVERACK_BINARY, "devices", "--json", "--api", "pulse"});
    ASSERT_EQ(devices.wait(kStartTimeout), 0) << devices.err();
    const auto listing = nlohmann::json::parse(devices.out(), nullptr, false);
    ASSERT_FALSE(listing.is_discarded()) << devices.out();
    ASSERT_EQ(listing["apis"].size(), 1u) << devices.out();
    const auto& api = listing["apis"][0];
    EXPECT_EQ(api["name"], "PulseAudio");
    EXPECT_EQ(api["problem"], "");
    bool sink = false;
    bool monitor = false;
    for (const auto& d : api["devices"]) {
        if (d["name"] == "Dummy Output") {
            sink = true;
            EXPECT_EQ(d["output_channels"], 2);
            EXPECT_EQ(d["input_channels"], 0);
            EXPECT_TRUE(d["default_output"].get<bool>());
            EXPECT_EQ(d["preferred_sample_rate"], 48000);
        }
        if (d["name"] == "Monitor of Dummy Output") {
            monitor = true;
            EXPECT_EQ(d["input_channels"], 2);
            EXPECT_TRUE(d["default_input"].get<bool>());
        }
    }
    EXPECT_TRUE(sink && monitor) << devices.out();
}

// Plainly on the Pulse API, the default input is again the output's monitor: refused, with the
// sentence; asked for by API, LiveRack does not fall back to a test signal but exits 1.
TEST_F(PipeWireHeadlessTest, PulseDefaultInputThatIsTheOutputsMonitorIsRefusedWithItsReason) {
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "pulse"});
    ASSERT_TRUE(liverack.started());
    EXPECT_EQ(liverack.wait(kStartTimeout), 1) << liverack.err();
    EXPECT_NE(liverack.err().find("the default input is the monitor of 'Dummy Output'"),
              std::string::npos)
        << liverack.err();
    EXPECT_TRUE(tester_->ports("liverack(-[0-9]+)?", 0).empty()) << "a liverack stream is open";
}

// On the Pulse API, a playback stream that nothing consumes (its links cut) blocked RtAudio's
// stop for ever: SIGINT left LiveRack running. The audio thread now waits only for the main
// loop's signal, which stop() gives: SIGINT ends the program cleanly, within the fade-out.
TEST_F(PipeWireHeadlessTest, PulseStreamThatNothingConsumesStillStopsAtOnceOnSigint) {
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "pulse", "--input", "none",
                         "--source", "sine:440"});
    ASSERT_TRUE(liverack.waitForStderr("streaming on PulseAudio", kStartTimeout)) << liverack.err();
    // WirePlumber links the new stream to the Dummy Output; then the links are cut.
    std::vector<std::string> outputs;
    const auto linked = [&] {
        outputs = tester_->ports("liverack", JackPortIsOutput);
        bool all = !outputs.empty();
        for (const auto& port : outputs) {
            all = all && !tester_->connections(port).empty();
        }
        return all;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!linked() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the session manager links
    }
    ASSERT_TRUE(linked()) << "the session manager never linked liverack's playback stream";
    for (const auto& port : outputs) {
        ASSERT_TRUE(tester_->disconnectAll(port)) << port;
    }
    const auto signalled = std::chrono::steady_clock::now();
    liverack.sendSignal(SIGINT);
    const int code = liverack.wait(10.0);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
    std::printf("[ stop ] SIGINT to exit with the playback stream unlinked: %.2f s, exit %d\n",
                seconds, code);
    EXPECT_LT(seconds, 1.0) << liverack.err();
    EXPECT_EQ(code, 0) << liverack.err();
    EXPECT_EQ(liverack.err().find("did not stop"), std::string::npos) << liverack.err();
}

}  // namespace
}  // namespace liverack::test

int main(int argc, char** argv) {
    liverack::test::onPipeWireJack = liverack::test::runOnPipeWireJack(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
