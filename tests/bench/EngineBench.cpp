// The engine's own cost per callback (source/input copy, taps, chain hand-over check, safety
// stage, statistics) with an empty chain and with one gain; and SPSC ring throughput.
#include <benchmark/benchmark.h>

#include <vector>

#include "core/dsp/effects/GainEffect.h"
#include "core/engine/EngineProcessor.h"
#include "core/rt/SampleRing.h"

namespace liverack::core {
namespace {

std::unique_ptr<EffectChain> chainWithGains(int gains) {
    std::vector<std::shared_ptr<EffectSlot>> slots;
    for (int i = 0; i < gains; ++i) {
        auto gain = std::make_unique<GainEffect>();
        gain->parameters().set(GainEffect::kGainDb, -3.0f);
        slots.push_back(std::make_shared<EffectSlot>(std::move(gain)));
    }
    return std::make_unique<EffectChain>(std::move(slots));
}

// args: frames per block, gain effects in the chain
void BM_EngineCallback(benchmark::State& state) {
    const auto frames = static_cast<uint32_t>(state.range(0));
    EngineProcessor processor;
    processor.prepare({48000.0, frames, 2}, nullptr);
    (void)processor.setChain(chainWithGains(static_cast<int>(state.range(1))));
    processor.requestFadeIn();
    std::vector<float> inL(frames, 0.25f), inR(frames, -0.25f), outL(frames), outR(frames);
    const float* in[2] = {inL.data(), inR.data()};
    float* out[2] = {outL.data(), outR.data()};
    std::vector<float> drainL(48000), drainR(48000);
    float* drain[2] = {drainL.data(), drainR.data()};
    uint64_t blocks = 0;
    for (auto _ : state) {
        processor.process(in, 2, out, 2, frames, false);
        benchmark::DoNotOptimize(outL.data());
        if (++blocks % 64 == 0) {
            // Keep the taps from filling (the analysis thread's job); not timed.
            state.PauseTiming();
            processor.taps().analysis(Tap::Pre).pop(drain, 48000);
            processor.taps().analysis(Tap::Post).pop(drain, 48000);
            state.ResumeTiming();
        }
    }
    state.counters["ns_per_block"] =
        benchmark::Counter(static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_EngineCallback)
    ->ArgNames({"frames", "gains"})
    ->Args({64, 0})
    ->Args({64, 1})
    ->Args({256, 0})
    ->Args({256, 1})
    ->Unit(benchmark::kNanosecond);

void BM_SampleRingPushPop256(benchmark::State& state) {
    SampleRing ring(1, 4096);
    std::vector<float> block(256, 0.5f), out(256);
    float* in[1] = {block.data()};
    float* dest[1] = {out.data()};
    const AudioBlock audio(in, 1, 256);
    for (auto _ : state) {
        ring.push(audio);
        ring.pop(dest, 256);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["samples_per_s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * 256, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SampleRingPushPop256);

}  // namespace
}  // namespace liverack::core
