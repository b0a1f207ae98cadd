// PipeWire's real-time thread runs the virtual microphone's callback: on a private headless
// PipeWire, while it pulls a second and more of audio from the taps' ring, no callback allocates,
// frees or locks a mutex. Replaces malloc (CountingAllocator), so it is not built under
// AddressSanitizer, which replaces it too.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <numbers>
#include <optional>
#include <thread>

#include "core/dsp/AudioBuffer.h"
#include "core/engine/SampleTaps.h"
#include "core/engine/VirtualMicrophone.h"
#include "tests/support/CountingAllocator.h"
#include "tests/support/PipeWireSession.h"

namespace liverack::test {
namespace {

constexpr double kRate = 48000.0;
constexpr double kSineHz = 440.0;

using Clock = std::chrono::steady_clock;

bool before(Clock::time_point deadline) {
    return Clock::now() < deadline;
}
Clock::time_point in(double seconds) {
    return Clock::now() +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

class CountingObserver final : public core::VirtualMicrophone::CallbackObserver {
public:
    void entering() noexcept override {
        scope().emplace();
        calls.fetch_add(1, std::memory_order_relaxed);
    }
    void leaving() noexcept override { scope().reset(); }
    std::atomic<uint64_t> calls{0};

private:
    static std::optional<CountingAllocator::Scope>& scope() {
        static thread_local std::optional<CountingAllocator::Scope> s;
        return s;
    }
};

TEST(VirtualMicrophoneRealTimeSafetyTest, PipeWireCallbackNeitherAllocatesNorLocks) {
    PipeWireSession session;
    ASSERT_TRUE(session.isRunning()) << session.error();
    ASSERT_TRUE(session.waitForSink(20.0)) << "WirePlumber never made its Dummy Output";
    core::SampleTaps taps;
    taps.prepare(kRate, 2, 256);
    core::VirtualMicrophone mic(taps);
    CountingObserver observer;
    mic.setCallbackObserver(&observer);
    ASSERT_TRUE(mic.start("LiveRack test microphone", 256)) << "no microphone";

    // The engine's side, at the pace of real time: 256-frame blocks of a sine into the taps.
    std::atomic<bool> quit{false};
    std::thread engine([&] {
        core::AudioBuffer block(2, 256);
        double phase = 0.0;
        auto next = Clock::now();
        while (!quit.load()) {
            for (uint32_t i = 0; i < 256; ++i) {
                const float v = 0.1f * static_cast<float>(std::sin(phase));
                block.channel(0)[i] = v;
                block.channel(1)[i] = v;
                phase += 2.0 * std::numbers::pi * kSineHz / kRate;
            }
            taps.beginBlock();
            taps.feed(core::Tap::Post, block.block());
            next += std::chrono::microseconds(5333);
            std::this_thread::sleep_until(next);  // pacing the producer, not synchronisation
        }
    });
    // Counting starts once the callback has run (its first call may set PipeWire's thread up).
    const auto started = in(20.0);
    while (before(started) && observer.calls.load() < 10) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CountingAllocator::clear();
    const uint64_t callsBefore = observer.calls.load();
    const uint64_t playedBefore = mic.stats().playedFrames;
    const auto deadline = in(30.0);
    while (before(deadline) && mic.stats().playedFrames < playedBefore + 1.5 * kRate) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const uint64_t allocations = CountingAllocator::allocations().load();
    const uint64_t locks = CountingAllocator::locks().load();
    const uint64_t calls = observer.calls.load() - callsBefore;
    const core::VirtualMicrophoneStats stats = mic.stats();
    quit = true;
    engine.join();
    mic.stop();
    std::printf("[ rt ] %llu callbacks, %llu frames: %llu allocations, %llu locks\n",
                static_cast<unsigned long long>(calls),
                static_cast<unsigned long long>(stats.playedFrames - playedBefore),
                static_cast<unsigned long long>(allocations),
                static_cast<unsigned long long>(locks));
    ASSERT_GE(stats.playedFrames, playedBefore + 1.5 * kRate) << "the callback did not run";
    EXPECT_GT(calls, 10u);
    EXPECT_EQ(allocations, 0u);
    EXPECT_EQ(locks, 0u);
}

}  // namespace
}  // namespace liverack::test
