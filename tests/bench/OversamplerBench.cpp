// Cost of the 8x Oversampler alone (no shaping between up and down): one channel, one
// 128-frame block at a time (two calls of Oversampler::kMaxFrames), noise in; and of up- and
// downsampling separately. One benchmark iteration = one block of one channel.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <vector>

#include "core/dsp/Oversampler.h"

namespace {

using liverack::core::Oversampler;

constexpr uint32_t kFrames = 128;

std::vector<float> noise() {
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> sample(-0.5f, 0.5f);
    std::vector<float> x(48000);
    for (float& v : x) {
        v = sample(rng);
    }
    return x;
}

void BM_OversamplerRoundTrip(benchmark::State& state) {
    auto os = std::make_unique<Oversampler>();
    const auto source = noise();
    std::vector<float> out(kFrames);
    size_t position = 0;
    for (auto _ : state) {
        for (uint32_t start = 0; start < kFrames; start += Oversampler::kMaxFrames) {
            os->upsample(source.data() + position + start, Oversampler::kMaxFrames);
            os->downsample(Oversampler::kMaxFrames, out.data() + start);
        }
        benchmark::DoNotOptimize(out[0]);
        position = position + 2 * kFrames <= source.size() ? position + kFrames : 0;
    }
}

void BM_OversamplerUpsample(benchmark::State& state) {
    auto os = std::make_unique<Oversampler>();
    const auto source = noise();
    size_t position = 0;
    for (auto _ : state) {
        for (uint32_t start = 0; start < kFrames; start += Oversampler::kMaxFrames) {
            os->upsample(source.data() + position + start, Oversampler::kMaxFrames);
        }
        benchmark::DoNotOptimize(os->evenSamples()[0]);
        position = position + 2 * kFrames <= source.size() ? position + kFrames : 0;
    }
}

void BM_OversamplerDownsample(benchmark::State& state) {
    auto os = std::make_unique<Oversampler>();
    std::vector<float> out(kFrames);
    for (auto _ : state) {
        for (uint32_t start = 0; start < kFrames; start += Oversampler::kMaxFrames) {
            // The halves hold zeros here: the arithmetic costs the same for any (normal) values.
            os->downsample(Oversampler::kMaxFrames, out.data() + start);
        }
        benchmark::DoNotOptimize(out[0]);
    }
}

}  // namespace

BENCHMARK(BM_OversamplerRoundTrip);
BENCHMARK(BM_OversamplerUpsample);
BENCHMARK(BM_OversamplerDownsample);
