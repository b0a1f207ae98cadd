// Cost of the time and modulation effects: nanoseconds per 128-frame stereo block at 48 kHz with
// default parameters (one benchmark iteration = one block).
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"

namespace {

using liverack::core::AudioBuffer;
using liverack::core::EffectFactory;

void processBlocks(benchmark::State& state, const std::string& typeId) {
    constexpr uint32_t kFrames = 128;
    auto effect = EffectFactory::create(typeId);
    if (effect == nullptr) {
        state.SkipWithError("unknown effect type");
        return;
    }
    effect->prepare({48000.0, kFrames, 2});
    // A second of noise, replayed block by block, so the effect sees varied input.
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
    AudioBuffer source(2, 48000);
    for (uint32_t c = 0; c < 2; ++c) {
        for (uint32_t i = 0; i < 48000; ++i) {
            source.channel(c)[i] = noise(rng);
        }
    }
    AudioBuffer block(2, kFrames);
    uint32_t position = 0;
    for (auto _ : state) {
        for (uint32_t c = 0; c < 2; ++c) {
            std::copy_n(source.channel(c) + position, kFrames, block.channel(c));
        }
        effect->process(block.block());
        benchmark::DoNotOptimize(block.channel(0)[0]);
        position = (position + kFrames) % (48000 - kFrames);
    }
    // Share of one core the effect needs in real time: block time / block duration.
    state.counters["block_ms"] = kFrames * 1000.0 / 48000.0;
}

}  // namespace

BENCHMARK_CAPTURE(processBlocks, delay, std::string("delay"));
BENCHMARK_CAPTURE(processBlocks, reverb, std::string("reverb"));
BENCHMARK_CAPTURE(processBlocks, chorus, std::string("chorus"));
BENCHMARK_CAPTURE(processBlocks, tremolo, std::string("tremolo"));
BENCHMARK_CAPTURE(processBlocks, distortion, std::string("distortion"));
BENCHMARK_CAPTURE(processBlocks, pitch, std::string("pitch"));
