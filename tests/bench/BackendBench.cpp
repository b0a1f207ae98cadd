// What a JACK cycle costs the audio thread, native libjack backend against RtAudio's JACK path:
// the CPU time of the thread that runs the callback, per 64-frame cycle, while a stereo stream
// runs through the same processor and chain (one thread probe, nothing else) on the same dummy
// server with the system ports connected. The difference is the backends' own work (RtAudio
// copies every port into its own buffers and back; the native backend hands the port buffers to
// the processor).
#include <benchmark/benchmark.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/engine/AudioEngine.h"
#include "core/engine/EngineProcessor.h"
#include "core/engine/RtAudioBackend.h"
#include "tests/support/AudioThreadProbe.h"
#include "tests/support/JackServer.h"

namespace liverack::core {
namespace {

constexpr unsigned kPeriod = 64;
constexpr uint64_t kCyclesPerIteration = 3000;  // 4 s of audio at 64 frames, 48 kHz

std::atomic<pthread_t> audioThread{};
std::atomic<bool> audioThreadKnown{false};

std::unique_ptr<EffectChain> probeChain() {
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(
        std::make_unique<test::AudioThreadProbe>(audioThread, audioThreadKnown)));
    return std::make_unique<EffectChain>(std::move(slots));
}

double threadCpuSeconds(pthread_t thread) {
    clockid_t clock{};
    timespec t{};
    if (pthread_getcpuclockid(thread, &clock) != 0 || clock_gettime(clock, &t) != 0) {
        return -1.0;
    }
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// Measures kCyclesPerIteration cycles per iteration on the thread the probe found.
void measure(benchmark::State& state, EngineProcessor& processor) {
    const auto callbacks = [&] { return processor.stats().snapshot(48000).callbacks; };
    while (!audioThreadKnown.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // first callback
    }
    const pthread_t thread = audioThread.load();
    double perCycle = 0.0;
    for (auto _ : state) {
        const uint64_t startCycles = callbacks();
        const double startCpu = threadCpuSeconds(thread);
        while (callbacks() < startCycles + kCyclesPerIteration) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // measurement window
        }
        const double cpu = threadCpuSeconds(thread) - startCpu;
        perCycle = cpu / double(callbacks() - startCycles);
        state.SetIterationTime(perCycle);
    }
    state.counters["ns_per_cycle"] = perCycle * 1e9;
    state.counters["xruns"] = double(processor.stats().snapshot(48000).xruns);
}

StreamConfig jackConfig() {
    StreamConfig config;
    config.api = "jack";
    config.sampleRate = 48000;
    config.blockFrames = kPeriod;
    config.channels = 2;
    return config;
}

void BM_JackCycleNative(benchmark::State& state) {
    test::JackServer server(48000, kPeriod);
    if (!server.isRunning()) {
        state.SkipWithError(server.error().c_str());
        return;
    }
    audioThreadKnown.store(false);
    AudioEngine engine;
    if (!engine.open(jackConfig()) || !engine.setChain(probeChain()) || !engine.start()) {
        state.SkipWithError("the native JACK stream did not start");
        return;
    }
    measure(state, engine.processor());
    engine.stop();
}

void BM_JackCycleRtAudio(benchmark::State& state) {
    test::JackServer server(48000, kPeriod);
    if (!server.isRunning()) {
        state.SkipWithError(server.error().c_str());
        return;
    }
    audioThreadKnown.store(false);
    EngineProcessor processor;
    processor.prepare({48000.0, StreamConfig::kMaxBlockFrames, 2}, nullptr);
    (void)processor.setChain(probeChain());
    // RtAudio lists JACK's clients as devices; the first is "system".
    RtAudioBackend::Request request;
    request.api = "jack";
    request.apiDisplayName = "JACK (RtAudio)";
    request.sampleRate = 48000;
    request.blockFrames = kPeriod;
    std::string error;
    auto lister = rtcompat::create(RtAudio::UNIX_JACK, error);
    const std::vector<unsigned> ids =
        lister ? rtcompat::deviceIds(*lister) : std::vector<unsigned>{};
    lister.reset();
    if (ids.empty()) {
        state.SkipWithError("RtAudio lists no JACK device");
        return;
    }
    DeviceInfo system;
    system.id = ids.front();
    request.input = system;
    request.output = system;
    request.inputChannels = 2;
    request.outputChannels = 2;
    auto backend = RtAudioBackend::open(request, processor);
    if (!backend || !(*backend)->start().empty()) {
        state.SkipWithError("the RtAudio JACK stream did not start");
        return;
    }
    processor.requestFadeIn();
    measure(state, processor);
    (*backend)->stop();
}

BENCHMARK(BM_JackCycleNative)->UseManualTime()->Iterations(3)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_JackCycleRtAudio)->UseManualTime()->Iterations(3)->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace liverack::core
