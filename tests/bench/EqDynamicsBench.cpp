// Cost of the EQ and dynamics effects on the audio thread: ns per 128-frame stereo block at
// 48 kHz (the block period is 2.67 ms). The EQ runs with all eight bands active, once with
// settled parameters and once while every band's frequency sweeps (coefficients recomputed).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/effects/CompressorEffect.h"
#include "core/dsp/effects/EqEffect.h"
#include "core/dsp/effects/GateEffect.h"
#include "core/dsp/effects/LimiterEffect.h"

namespace liverack::core {
namespace {

constexpr double kRate = 48000.0;
constexpr uint32_t kFrames = 128;
constexpr uint32_t kChannels = 2;
constexpr double kPeriodSeconds = kFrames / kRate;

// A second of noise at -12 dBFS that the blocks cycle through, so detectors see a changing
// signal rather than one block over and over.
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

// Runs the effect on consecutive blocks of the noise; `perBlock` may touch parameters first.
// The 128-frame copy into the work buffer is timed too (a few tens of ns), as in RackBench.
template <typename PerBlock>
void run(benchmark::State& state, Effect& effect, PerBlock perBlock) {
    effect.prepare({kRate, kFrames, kChannels});
    effect.reset();
    const AudioBuffer& noise = sourceNoise();
    AudioBuffer work(kChannels, kFrames);
    uint32_t offset = 0;
    uint64_t blocks = 0;
    const auto started = std::chrono::steady_clock::now();
    for (auto _ : state) {
        for (uint32_t c = 0; c < kChannels; ++c) {
            std::copy_n(noise.channel(c) + offset, kFrames, work.channel(c));
        }
        offset = offset + 2 * kFrames <= noise.frameCount() ? offset + kFrames : 0;
        perBlock(blocks++);
        effect.process(work.block());
        benchmark::DoNotOptimize(work.channel(0)[0]);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double perBlockSeconds = seconds / static_cast<double>(state.iterations());
    state.counters["ns_per_block"] = perBlockSeconds * 1e9;
    state.counters["period_pct"] = 100.0 * perBlockSeconds / kPeriodSeconds;
}

// Eight active bands of every kind: a typical mastering-style curve.
void setEightBands(EqEffect& eq) {
    using T = EqEffect::BandType;
    struct Band {
        T type;
        float f, gain, q, slope;
    };
    const Band bands[EqEffect::kBands] = {
        {T::HighPass, 40.0f, 0.0f, 0.7071f, 24.0f},
        {T::LowShelf, 100.0f, 2.0f, 0.7071f, 12.0f},
        {T::Peak, 250.0f, -3.0f, 1.2f, 12.0f},
        {T::Peak, 800.0f, 1.5f, 2.0f, 12.0f},
        {T::Peak, 2500.0f, -2.0f, 3.0f, 12.0f},
        {T::Notch, 5000.0f, 0.0f, 8.0f, 12.0f},
        {T::HighShelf, 10000.0f, 3.0f, 0.7071f, 12.0f},
        {T::LowPass, 18000.0f, 0.0f, 0.7071f, 24.0f},
    };
    auto& p = eq.parameters();
    for (int b = 0; b < EqEffect::kBands; ++b) {
        p.set(EqEffect::parameterIndex(b, EqEffect::kType), static_cast<float>(bands[b].type));
        p.set(EqEffect::parameterIndex(b, EqEffect::kFrequencyHz), bands[b].f);
        p.set(EqEffect::parameterIndex(b, EqEffect::kGainDb), bands[b].gain);
        p.set(EqEffect::parameterIndex(b, EqEffect::kQ), bands[b].q);
        p.set(EqEffect::parameterIndex(b, EqEffect::kSlopeDb), bands[b].slope);
    }
}

void BM_EqEightBands(benchmark::State& state) {
    EqEffect eq;
    setEightBands(eq);
    run(state, eq, [](uint64_t) {});
}
BENCHMARK(BM_EqEightBands);

void BM_EqEightBandsSweeping(benchmark::State& state) {
    EqEffect eq;
    setEightBands(eq);
    auto& p = eq.parameters();
    run(state, eq, [&](uint64_t block) {
        // A new frequency target every block keeps every band's smoother moving.
        const float scale = (block % 2 == 0) ? 1.05f : 1.0f / 1.05f;
        for (int b = 0; b < EqEffect::kBands; ++b) {
            const size_t index = EqEffect::parameterIndex(b, EqEffect::kFrequencyHz);
            p.set(index, p.get(index) * scale);
        }
    });
}
BENCHMARK(BM_EqEightBandsSweeping);

void BM_Compressor(benchmark::State& state) {
    CompressorEffect compressor;
    compressor.parameters().set(CompressorEffect::kThresholdDb, -24.0f);  // works on the noise
    run(state, compressor, [](uint64_t) {});
}
BENCHMARK(BM_Compressor);

void BM_CompressorRms(benchmark::State& state) {
    CompressorEffect compressor;
    compressor.parameters().set(CompressorEffect::kThresholdDb, -24.0f);
    compressor.parameters().set(CompressorEffect::kDetector, CompressorEffect::kRms);
    run(state, compressor, [](uint64_t) {});
}
BENCHMARK(BM_CompressorRms);

void BM_Limiter(benchmark::State& state) {
    LimiterEffect limiter;
    limiter.parameters().set(LimiterEffect::kCeilingDb, -18.0f);  // limits the noise's peaks
    run(state, limiter, [](uint64_t) {});
}
BENCHMARK(BM_Limiter);

void BM_Gate(benchmark::State& state) {
    GateEffect gate;
    gate.parameters().set(GateEffect::kThresholdDb, -20.0f);  // opens and closes on the noise
    run(state, gate, [](uint64_t) {});
}
BENCHMARK(BM_Gate);

}  // namespace
}  // namespace liverack::core
