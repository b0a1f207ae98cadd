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

// On the Pulse API, a playback stream that nothing consumes (its links cut) blocks RtAudio's
// stop for ever: SIGINT left LiveRack running. Stopping gives up after a second, says so, and
// the program exits.
TEST_F(PipeWireHeadlessTest, PulseStreamThatCannotStopIsAbandonedAndTheProgramExits) {
    Subprocess liverack({LIVERACK_BINARY, "--headless", "--api", "pulse"});
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
    EXPECT_LT(seconds, 2.0) << liverack.err();
    EXPECT_NE(code, -1) << "still running, or killed by a signal";
    if (code != 0) {  // a stop that gave up says so
        EXPECT_EQ(code, 1);
        EXPECT_NE(liverack.err().find("did not stop within a second"), std::string::npos)
            << liverack.err();
    }
}

}  // namespace
}  // namespace liverack::test

int main(int argc, char** argv) {
    liverack::test::onPipeWireJack = liverack::test::runOnPipeWireJack(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
