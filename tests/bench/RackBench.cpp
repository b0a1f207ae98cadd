// What the rack costs on the audio thread at 48 kHz, stereo, 128-frame blocks (a 2.67 ms
// period): every registered effect alone (with its factory preset, so it does real work), the
// full rack (eq with 8 bands, gate, compressor, distortion, chorus, delay, reverb, limiter; target
// at most 53 us per block, 2 % of the period) and the pitch shifter alone.
// Counters: ns_per_block and period_pct (CPU time per block as a percentage of the block period).
#include <benchmark/benchmark.h>

#include <ctime>
#include <filesystem>
#include <random>
#include <string>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "core/preset/PresetLoader.h"

namespace liverack::core {
namespace {

constexpr double kRate = 48000.0;
constexpr uint32_t kFrames = 128;
constexpr uint32_t kChannels = 2;
constexpr double kPeriodSeconds = kFrames / kRate;

// Presets live beside the sources; __FILE__ is absolute in CMake builds.
const std::filesystem::path kSourceDir = std::filesystem::path(__FILE__).parent_path();
const std::filesystem::path kFactoryPresets = kSourceDir / "../../resources/presets";
const std::filesystem::path kBenchPresets = kSourceDir / "presets";

// A second of noise at -12 dBFS that the blocks cycle through, so dynamics and detectors see a
// changing signal rather than one block over and over.
const AudioBuffer& sourceNoise() {
    static const AudioBuffer noise = [] {
        AudioBuffer buffer(kChannels, static_cast<uint32_t>(kRate));
        std::mt19937 random(5);
        std::uniform_real_distribution<float> sample(-0.25f, 0.25f);
        for (uint32_t c = 0; c < kChannels; ++c) {
            for (uint32_t i = 0; i < buffer.frameCount(); ++i) {
                buffer.channel(c)[i] = sample(random);
            }
        }
        return buffer;
    }();
    return noise;
}

// CPU time of this thread: on a machine busy with other work, wall time would count the time
// the thread waited for a core, which the audio thread of a real-time system does not.
double threadCpuSeconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// The chain of a preset file, or (for a type without a factory preset) the effect at defaults.
std::unique_ptr<EffectChain> chainFrom(const std::filesystem::path& preset,
                                       const std::string& fallbackType) {
    if (auto loaded = PresetLoader::load(preset.string()); loaded) {
        return std::move(loaded->chain);
    }
    std::vector<std::shared_ptr<EffectSlot>> slots;
    if (auto effect = EffectFactory::create(fallbackType)) {
        slots.push_back(std::make_shared<EffectSlot>(std::move(effect)));
    }
    return std::make_unique<EffectChain>(std::move(slots));
}

void runChain(benchmark::State& state, EffectChain& chain) {
    chain.prepare({kRate, kFrames, kChannels});
    chain.reset();
    const AudioBuffer& noise = sourceNoise();
    AudioBuffer work(kChannels, kFrames);
    uint32_t offset = 0;
    const double started = threadCpuSeconds();
    for (auto _ : state) {
        for (uint32_t c = 0; c < kChannels; ++c) {
            std::copy_n(noise.channel(c) + offset, kFrames, work.channel(c));
        }
        offset = offset + 2 * kFrames <= noise.frameCount() ? offset + kFrames : 0;
        chain.process(work.block());
        benchmark::DoNotOptimize(work.channel(0)[0]);
    }
    const double seconds = threadCpuSeconds() - started;
    const double perBlock = seconds / static_cast<double>(state.iterations());
    state.counters["ns_per_block"] = perBlock * 1e9;
    state.counters["period_pct"] = 100.0 * perBlock / kPeriodSeconds;
    state.counters["latency_frames"] = chain.latencyFrames();
}

void BM_Effect(benchmark::State& state, const std::string& type) {
    auto chain = chainFrom(kFactoryPresets / (type + ".json"), type);
    runChain(state, *chain);
}

void BM_EqEightPeaks(benchmark::State& state) {
    auto effect = EffectFactory::create("eq");
    if (!effect) {
        state.SkipWithError("eq is not registered");
        return;
    }
    for (int band = 1; band <= 8; ++band) {
        const std::string prefix = "b" + std::to_string(band) + ".";
        auto& p = effect->parameters();
        p.set(static_cast<size_t>(effect->info().indexOf(prefix + "type")), 1.0f);  // peak
        p.set(static_cast<size_t>(effect->info().indexOf(prefix + "gain_db")), 3.0f);
    }
    EffectChain chain({std::make_shared<EffectSlot>(std::move(effect))});
    runChain(state, chain);
}

void BM_FullRack(benchmark::State& state) {
    auto loaded = PresetLoader::load((kBenchPresets / "full-rack.json").string());
    if (!loaded) {
        state.SkipWithError(loaded.error().c_str());
        return;
    }
    runChain(state, *loaded->chain);
}

void BM_PitchAlone(benchmark::State& state) {
    auto chain = chainFrom(kFactoryPresets / "pitch.json", "pitch");
    runChain(state, *chain);
}

// One benchmark per registered type, so a new effect is measured without touching this file.
const bool kRegistered = [] {
    for (const auto& type : EffectFactory::typeIds()) {
        benchmark::RegisterBenchmark(("BM_Effect/" + type).c_str(), BM_Effect, type)
            ->Unit(benchmark::kNanosecond);
    }
    benchmark::RegisterBenchmark("BM_EqEightPeaks", BM_EqEightPeaks)->Unit(benchmark::kNanosecond);
    benchmark::RegisterBenchmark("BM_FullRack", BM_FullRack)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("BM_PitchAlone", BM_PitchAlone)->Unit(benchmark::kMicrosecond);
    return true;
}();

}  // namespace
}  // namespace liverack::core
