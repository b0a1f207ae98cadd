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

    void loopPulseLiveRackThroughTester(Subprocess& liverack,
                                        const std::vector<std::vector<float>>& play);
    size_t waitForSteadyLoop(size_t from, size_t window);
    void stopPulseLiveRack(Subprocess& liverack, nlohmann::json& stats);

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
    const LoopResult first = measureLoop(
        *tester_, play, 1.0, std::max<size_t>(at128 + 2048, arrival + rate / 2), to256 - 512, 8192);
    const LoopResult forced = measureLoop(*tester_, play, 1.0, to256 + 2048, back - 512, 8192);
    const LoopResult again = measureLoop(*tester_, play, 1.0, back + 2048, frames, 8192);
    std::printf("[ quantum ] %s\n", quantumHistory(*tester_).c_str());
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

    // PipeWire tells no client of another's late cycle, and a busy machine can make LiveRack
    // late: its output for that cycle is then not in the buffer the tester reads. LiveRack counts
    // those cycles itself; each may spoil its own cycle and the next, at most 256 frames each.
    // Frames broken beyond that are LiveRack's fault.
    const size_t lateCycles = stats.value("late_cycles", size_t{0});
    std::printf("[ late ] LiveRack's own count of late cycles: %zu\n", lateCycles);
    const size_t excused = 2 * 256 * lateCycles;
    size_t broken = 0;
    for (const LoopResult* r : {&first, &forced, &again}) {
        broken += r->brokenFrames;
    }
    EXPECT_LE(broken, excused) << "frames broken over all three stretches";
    expectExactLoop(first, 128, 0.0, "at the block asked for, 128", excused);
    expectExactLoop(forced, 256, 0.0, "with the quantum forced to 256", excused);
    expectExactLoop(again, 128, 0.0, "back at 128", excused);
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
// streaming, where the noise search would load the machine and disturb what it measures. A delay
// beyond kImpulseSpacing reads as the delay modulo it (the next impulse is found first): fine for
// telling whether the loop holds still, not for its length.
std::vector<long> impulseDelays(const JackTestClient& tester, size_t from, size_t to) {
    constexpr long kMaxDelay = kImpulseSpacing - 1;
    std::vector<long> delays;
    const auto& recorded = tester.recording()[1];
    const size_t end = std::min(tester.recordedFrames(), recorded.size());
    for (size_t played = (from + kImpulseSpacing - 1) / kImpulseSpacing * kImpulseSpacing;
         played < to && played + kMaxDelay <= end; played += kImpulseSpacing) {
        long delay = -1;
        for (size_t i = played; i < played + kMaxDelay; ++i) {
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

std::string joined(const std::vector<long>& values) {
    std::string text;
    for (long v : values) {
        text += (text.empty() ? "" : " ") + std::to_string(v);
    }
    return text;
}

constexpr unsigned kPulseBlock = 256;
constexpr size_t kPulseCapacitySeconds = 30;

// `liverack --headless --api pulse` on the monitor, looped through a fresh tester: the session
// manager links LiveRack's record stream to the monitor and its playback stream to the Dummy
// Output, and the tester takes both links over, so LiveRack hears only the tester and the tester
// hears only LiveRack. The tester plays `play` and records up to kPulseCapacitySeconds.
void PipeWireHeadlessTest::loopPulseLiveRackThroughTester(
    Subprocess& liverack, const std::vector<std::vector<float>>& play) {
    ASSERT_TRUE(liverack.waitForStderr("streaming on PulseAudio", kStartTimeout)) << liverack.err();
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
    tester_->setPlayback(play);
    tester_->setRecordCapacity(kPulseCapacitySeconds * static_cast<size_t>(tester_->sampleRate()));
    ASSERT_TRUE(tester_->activate());
    for (const auto& port : inputs) {
        ASSERT_TRUE(tester_->disconnectAll(port)) << port;
    }
    for (const auto& port : outputs) {
        ASSERT_TRUE(tester_->disconnectAll(port)) << port;
    }
    ASSERT_TRUE(tester_->connectOutputsTo(inputs));
    ASSERT_TRUE(tester_->connectInputsFrom(outputs));
}

// Waits for a stretch of `window` frames, starting at `from` or later, over which every impulse
// came back after the same delay; the frame the stretch ends at, or 0 when none came before the
// recording is full.
size_t PipeWireHeadlessTest::waitForSteadyLoop(size_t from, size_t window) {
    const size_t rate = static_cast<size_t>(tester_->sampleRate());
    const size_t capacity = kPulseCapacitySeconds * rate;
    for (size_t end = from + window; end + kImpulseSpacing < capacity; end += rate / 4) {
        if (!tester_->waitForRecorded(end + kImpulseSpacing, 30.0)) {
            return 0;
        }
        if (allEqualAndFound(impulseDelays(*tester_, end - window, end))) {
            return end;
        }
    }
    return 0;
}

// SIGINT while the tester still runs, so the latency reported at exit is of the route measured;
// then the tester stops and `stats` is LiveRack's statistics JSON.
void PipeWireHeadlessTest::stopPulseLiveRack(Subprocess& liverack, nlohmann::json& stats) {
    liverack.sendSignal(SIGINT);
    ASSERT_EQ(liverack.wait(10.0), 0) << liverack.err();
    tester_->deactivate();
    stats = nlohmann::json::parse(liverack.out(), nullptr, false);
    ASSERT_FALSE(stats.is_discarded()) << liverack.out();
}

// On the Pulse API the latency LiveRack reports comes from what the server says of its two
// streams, and must be what a sample takes: the loop the tester measures must be within one block
// of the latency reported. (RtAudio's PulseAudio path reported one block and looped in seven or
// eight.) An underrun or overrun (counted as an xrun) moves the loop, and the latency reported
// is the median of the server's reports since the last xrun; so an attempt counts only when the
// loop held still for the second and a half before the stop, and a moved loop means another
// attempt, at most three. The loop's length comes from the noise, searched up to half a second: a
// busy machine can leave a standing backlog of up to LiveRack's catch-up window (half a second) in
// the record stream before it is thrown away, and the reported latency must count that too.
TEST_F(PipeWireHeadlessTest, PulseLatencyReportedIsTheLoopMeasuredWithinOneBlock) {
    const size_t rate = static_cast<size_t>(tester_->sampleRate());
    const size_t window = 3 * rate / 2;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "pulse", "--input",
                             "Monitor of Dummy Output", "--block", std::to_string(kPulseBlock)});
        const auto play = loopSignal((kPulseCapacitySeconds + 1) * rate, 11);
        ASSERT_NO_FATAL_FAILURE(loopPulseLiveRackThroughTester(liverack, play));
        // The streams start with an underrun or two.
        ASSERT_GT(waitForSteadyLoop(3 * rate, window), 0u) << "the loop never held still";
        // Stopped while the tester still runs: the latency reported at exit is of this route.
        const size_t end = tester_->recordedFrames();
        nlohmann::json stats;
        ASSERT_NO_FATAL_FAILURE(stopPulseLiveRack(liverack, stats));
        const long reported = stats.value("latency_frames", 0L);

        // The impulses whose return came before the stop.
        const auto delays = impulseDelays(*tester_, end - window, end - kImpulseSpacing);
        const LoopResult loop = measureLoop(*tester_, play, 1.0, end - rate, end, rate / 2);
        std::printf(
            "[ pulse ] attempt %d, block %u: loop %ld frames (noise), impulses came back after "
            "%s (the %.1f s before the stop), latency reported %ld frames, xruns %d\n",
            attempt, kPulseBlock, loop.latency, joined(delays).c_str(), double(window) / rate,
            reported, stats.value("xruns", -1));
        if (!allEqualAndFound(delays)) {
            continue;  // the loop moved while the reported latency was being averaged
        }
        ASSERT_GE(loop.latency, 0) << "the noise did not come back at one delay";
        EXPECT_EQ(loop.latency % static_cast<long>(kImpulseSpacing), delays.front())
            << "the noise and the impulses disagree";
        EXPECT_LE(std::labs(loop.latency - reported), static_cast<long>(kPulseBlock))
            << "measured " << loop.latency << ", reported " << reported;
        return;
    }
    FAIL() << "in three attempts the loop never held still for 1.5 s before the stop";
}

// The Pulse cycle is paced by the playback stream, so what piles up in the record stream while
// LiveRack is held up (here stopped for 0.2 s, as a loaded machine or a swapped-out page would)
// is not drained by itself: the stall would stay in the loop for good. LiveRack throws a standing
// backlog away (counted as an xrun): after the stall the loop is longer than before it by less
// than half the stall (measured: −512 to +1536 frames, against the whole stall and more without
// the catch-up), and the latency reported follows it. As above, an attempt counts only when the
// loop held still for the second and a half before the stop. After a stall on a busy machine the
// server's playback-latency reports wander for seconds while the loop holds still (traced: down
// by 250 frames over two seconds; 277 frames off at the stop in 1 of about 100 runs under
// stress-ng), so the report is held to two blocks here; the one-block bound in steady streaming
// is the test above's.
TEST_F(PipeWireHeadlessTest, PulseLoopRecoversItsLengthAfterAStall) {
    const size_t rate = static_cast<size_t>(tester_->sampleRate());
    const size_t stall = rate / 5;
    const size_t window = 3 * rate / 2;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "pulse", "--input",
                             "Monitor of Dummy Output", "--block", std::to_string(kPulseBlock)});
        const auto play = loopSignal((kPulseCapacitySeconds + 1) * rate, 13);
        ASSERT_NO_FATAL_FAILURE(loopPulseLiveRackThroughTester(liverack, play));
        const size_t before = waitForSteadyLoop(3 * rate, rate);
        ASSERT_GT(before, 0u) << "the loop never held still before the stall";

        liverack.sendSignal(SIGSTOP);
        const bool stalled = tester_->waitForRecorded(tester_->recordedFrames() + stall, 30.0);
        liverack.sendSignal(SIGCONT);
        ASSERT_TRUE(stalled);
        // A second for the catch-up (its window is half a second), then the loop must hold still.
        const size_t resumed = tester_->recordedFrames();
        ASSERT_GT(waitForSteadyLoop(resumed + rate, window), 0u)
            << "the loop never held still after the stall";
        const size_t end = tester_->recordedFrames();
        nlohmann::json stats;
        ASSERT_NO_FATAL_FAILURE(stopPulseLiveRack(liverack, stats));
        const long reported = stats.value("latency_frames", 0L);

        // Before: the noise recorded in the last half second of the steady stretch was played
        // within it. After: as in the test above, up to the stop.
        const LoopResult pre =
            measureLoop(*tester_, play, 1.0, before - rate / 2, before, rate / 2);
        const LoopResult post = measureLoop(*tester_, play, 1.0, end - rate, end, rate / 2);
        const auto delays = impulseDelays(*tester_, end - window, end - kImpulseSpacing);
        std::printf(
            "[ pulse ] attempt %d, stalled %zu frames: loop %ld frames before, %ld after, "
            "latency reported %ld, xruns %d\n",
            attempt, stall, pre.latency, post.latency, reported, stats.value("xruns", -1));
        if (!allEqualAndFound(delays)) {
            continue;  // the loop moved again while the reported latency was being averaged
        }
        ASSERT_GE(pre.latency, 0) << "the noise did not come back at one delay before the stall";
        ASSERT_GE(post.latency, 0) << "the noise did not come back at one delay after the stall";
        EXPECT_LT(post.latency, pre.latency + static_cast<long>(stall / 2))
            << "the stall stayed in the loop";
        EXPECT_LE(std::labs(post.latency - reported), 2 * static_cast<long>(kPulseBlock))
            << "measured " << post.latency << ", reported " << reported;
        EXPECT_GE(stats.value("xruns", 0), 1) << "the stall was not counted";
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
