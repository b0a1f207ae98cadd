#include "core/dsp/Oversampler.h"

#include <algorithm>

#include "core/dsp/Float4.h"

namespace liverack::core {
namespace {

// Float4 is written out because neither compiler vectorises the pair sums below on its own:
// with the coefficient loop inside, GCC vectorises across coefficients and reverses half the loads.

// out[i] = Σ_j c[j]·(q[i + K + j] + q[i + K − 1 − j]) for i < count rounded up to 8: the
// symmetric pairs of a half-band filter around q[i + K − 1/2], q starting 2K − 1 samples before
// the first new input.
template <uint32_t K>
void pairSums(const float* q, const std::array<float, K>& c, float* out, uint32_t count) noexcept {
    for (uint32_t i = 0; i < count; i += 8) {
        Float4 a0{};
        Float4 a1{};
        for (uint32_t j = 0; j < K; ++j) {
            const float* hi = q + i + K + j;
            const float* lo = q + i + K - 1 - j;
            a0 += c[j] * (loadFloat4(hi) + loadFloat4(lo));
            a1 += c[j] * (loadFloat4(hi + 4) + loadFloat4(lo + 4));
        }
        storeFloat4(out + i, a0);
        storeFloat4(out + i + 4, a1);
    }
}

// Moves the last `history` samples of buffer[0, history + count) to its front.
template <size_t N>
void keepHistory(std::array<float, N>& buffer, uint32_t history, uint32_t count) noexcept {
    std::memmove(buffer.data(), buffer.data() + count, history * sizeof(float));
}

// One interpolator: `count` inputs in `in` (after its 2K − 1 samples of history) become 2·count
// outputs: even ones the filtered pairs, odd ones the centre tap, i.e. the input delayed K − 1.
template <uint32_t K, size_t N>
void interpolate(std::array<float, N>& in, const std::array<float, K>& c, float* sums,
                 uint32_t count, float* out) noexcept {
    pairSums<K>(in.data(), c, sums, count);
    const float* centre = in.data() + K;
    for (uint32_t i = 0; i < count; ++i) {
        out[2 * i] = sums[i];
        out[2 * i + 1] = centre[i];
    }
    keepHistory(in, 2 * K - 1, count);
}

// One decimator: 2·count inputs, split in even and odd halves (each after 2K samples of history),
// become `count` outputs, handed to emit(centre, sums, count): output i is
// 0.5·centre[i] + sums[i]. Keeping the odd input phase (kPhase 1) puts the centre tap on the even
// samples and the pairs on the odd ones; phase 0 the other way round.
template <uint32_t K, uint32_t kPhase, size_t N, typename Emit>
void decimate(std::array<float, N>& even, std::array<float, N>& odd, const std::array<float, K>& c,
              float* sums, uint32_t count, Emit&& emit) noexcept {
    const float* pairs = (kPhase == 1 ? odd : even).data() + 1;
    pairSums<K>(pairs, c, sums, count);
    // Phase 1: centre at even[i − K + 1]; phase 0: at odd[i − K] (indices after the history).
    const float* centre = kPhase == 1 ? even.data() + K + 1 : odd.data() + K;
    emit(centre, static_cast<const float*>(sums), count);
    keepHistory(even, 2 * K, count);
    keepHistory(odd, 2 * K, count);
}

// An emit() for decimate() that splits the outputs into the next decimator's even and odd halves.
struct SplitInto {
    float* even;
    float* odd;
    void operator()(const float* centre, const float* sums, uint32_t count) const noexcept {
        for (uint32_t m = 0; m < count / 2; ++m) {
            even[m] = 0.5f * centre[2 * m] + sums[2 * m];
            odd[m] = 0.5f * centre[2 * m + 1] + sums[2 * m + 1];
        }
    }
};

}  // namespace

const std::array<HalfbandFilter, 3>& Oversampler::designs() {
    static const std::array<HalfbandFilter, 3> stages{
        HalfbandFilter(kPairs1, kPassEdge / 2.0),
        HalfbandFilter(kPairs2, kPassEdge / 4.0),
        HalfbandFilter(kPairs3, kPassEdge / 8.0),
    };
    return stages;
}

Oversampler::Oversampler() {
    const auto& d = designs();
    for (uint32_t j = 0; j < kPairs1; ++j) {
        taps1_[j] = static_cast<float>(d[0].sideTaps()[j]);
        upTaps1_[j] = static_cast<float>(2.0 * d[0].sideTaps()[j]);
    }
    for (uint32_t j = 0; j < kPairs2; ++j) {
        taps2_[j] = static_cast<float>(d[1].sideTaps()[j]);
        upTaps2_[j] = static_cast<float>(2.0 * d[1].sideTaps()[j]);
    }
    for (uint32_t j = 0; j < kPairs3; ++j) {
        taps3_[j] = static_cast<float>(d[2].sideTaps()[j]);
        upTaps3_[j] = static_cast<float>(2.0 * d[2].sideTaps()[j]);
    }
}

void Oversampler::reset() noexcept {
    up1_.fill(0.0f);
    up2_.fill(0.0f);
    up3_.fill(0.0f);
    even3_.fill(0.0f);
    odd3_.fill(0.0f);
    even2_.fill(0.0f);
    odd2_.fill(0.0f);
    even1_.fill(0.0f);
    odd1_.fill(0.0f);
}

void Oversampler::upsample(const float* in, uint32_t frames) noexcept {
    const uint32_t n = std::min(frames, kMaxFrames);
    std::copy_n(in, n, up1_.data() + kUpHistory1);
    interpolate<kPairs1>(up1_, upTaps1_, sums_.data(), n, up2_.data() + kUpHistory2);
    interpolate<kPairs2>(up2_, upTaps2_, sums_.data(), 2 * n, up3_.data() + kUpHistory3);
    // The last stage writes its two output phases straight into the halves the caller shapes.
    pairSums<kPairs3>(up3_.data(), upTaps3_, evenSamples(), 4 * n);
    std::copy_n(up3_.data() + kPairs3, 4 * n, oddSamples());
    keepHistory(up3_, kUpHistory3, 4 * n);
}

void Oversampler::downsample(uint32_t frames, float* out) noexcept {
    constexpr uint32_t kPhase1 = (kPhases >> 2) & 1;
    constexpr uint32_t kPhase2 = (kPhases >> 1) & 1;
    constexpr uint32_t kPhase3 = kPhases & 1;
    const uint32_t n = std::min(frames, kMaxFrames);

    decimate<kPairs3, kPhase3>(
        even3_, odd3_, taps3_, sums_.data(), 4 * n,
        SplitInto{even2_.data() + kDownHistory2, odd2_.data() + kDownHistory2});
    decimate<kPairs2, kPhase2>(
        even2_, odd2_, taps2_, sums_.data(), 2 * n,
        SplitInto{even1_.data() + kDownHistory1, odd1_.data() + kDownHistory1});
    decimate<kPairs1, kPhase1>(even1_, odd1_, taps1_, sums_.data(), n,
                               [out](const float* centre, const float* sums, uint32_t count) {
                                   for (uint32_t i = 0; i < count; ++i) {
                                       out[i] = 0.5f * centre[i] + sums[i];
                                   }
                               });
}

}  // namespace liverack::core
