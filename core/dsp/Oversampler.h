// 8x up- and down-sampling of one channel by three cascaded 2x half-band FIR stages, for
// nonlinear processing (waveshaping) whose harmonics would otherwise alias at the stream rate.
#pragma once

#include <array>
#include <cstdint>

#include "core/dsp/HalfbandFilter.h"

namespace liverack::core {

// Stage 1 (stream rate ↔ 2x) carries the steep transition: pass band to kPassEdge (5/12 of the
// stream rate, 20 kHz at 48 kHz), stop band from 1 − kPassEdge (28 kHz at 48 kHz), 47 taps. The
// later stages only have to remove images and aliases of that band around 2x and 4x the stream
// rate, so 15 and 7 taps do it to the same depth. Every stage is designed for the same pass band
// (HalfbandFilter: Kaiser window, β minimising the pass-band error) and stops 64.0, 67.8 and
// 67.9 dB; a round trip through all six filters stays within 0.03 dB over the pass band. So
// every image and alias that would land in the pass band is at least 64 dB down; only what lands
// in [kPassEdge, 1/2] of the stream rate (above 20 kHz at 48 kHz) can be less, through the
// transition bands every half-band cascade leaves above its pass band.
//
// The interpolators never multiply the zero-stuffed samples (half of each stage's outputs are
// copies of its input, delayed), the decimators only compute the outputs they keep, and the
// 8x signal stays split into its even and odd samples, the two halves the last interpolator makes
// and the first decimator consumes, so it is never interleaved. Work is done a block at a time
// over contiguous arrays so the pair sums vectorise.
//
// Latency: a stage of 4K − 1 taps delays by 2K − 1 samples of its own rate each way. Which of each
// decimator's two input phases it keeps is chosen so the round trip delays by a whole number of
// stream samples, kLatencyFrames (with phases p1, p2, p3 ∈ {0, 1} kept at 2x, 4x and 8x:
// 8·latency = 8(2K1 − 1) + 4(2K2 − 1) + 2(2K3 − 1) − (4p1 + 2p2 + p3)).
class Oversampler {
public:
    static constexpr uint32_t kFactor = 8;
    static constexpr uint32_t kMaxFrames = 64;       // stream samples per upsample() call
    static constexpr double kPassEdge = 5.0 / 12.0;  // of the stream rate
    // Coefficient pairs (4·pairs − 1 taps) of the stages at 2x, 4x and 8x.
    static constexpr uint32_t kPairs1 = 12;
    static constexpr uint32_t kPairs2 = 4;
    static constexpr uint32_t kPairs3 = 2;

private:
    static constexpr uint32_t kEighths =
        8 * (2 * kPairs1 - 1) + 4 * (2 * kPairs2 - 1) + 2 * (2 * kPairs3 - 1);
    static constexpr uint32_t kPhases = kEighths % 8;  // 4·p1 + 2·p2 + p3

public:
    static constexpr uint32_t kLatencyFrames = (kEighths - kPhases) / 8;

    Oversampler();
    // The three stages' designs (stage 0 at 2x, 1 at 4x, 2 at 8x), each's pass edge a fraction of
    // its own rate.
    static const std::array<HalfbandFilter, 3>& designs();

    void reset() noexcept;

    // Interpolates `frames` (≤ kMaxFrames) stream samples to 8x. The 8·frames results are left in
    // evenSamples() and oddSamples(): oversampled sample 8i + k is at index 4i + k/2 of the even
    // (k even) or odd (k odd) half. The caller may change them in place (a memoryless shaper
    // does not care about the order) before downsample().
    void upsample(const float* in, uint32_t frames) noexcept;
    float* evenSamples() noexcept { return even3_.data() + kDownHistory3; }
    float* oddSamples() noexcept { return odd3_.data() + kDownHistory3; }
    // Decimates the 8·frames samples in the two halves (the `frames` of the last upsample()) back
    // to `frames` stream samples. Round trip: input delayed by kLatencyFrames, band-limited.
    void downsample(uint32_t frames, float* out) noexcept;

private:
    // Reads past the end by up to this many samples, so the pair sums run in whole vectors.
    static constexpr uint32_t kPad = 8;
    static constexpr uint32_t kUpHistory1 = 2 * kPairs1 - 1;
    static constexpr uint32_t kUpHistory2 = 2 * kPairs2 - 1;
    static constexpr uint32_t kUpHistory3 = 2 * kPairs3 - 1;
    static constexpr uint32_t kDownHistory1 = 2 * kPairs1;
    static constexpr uint32_t kDownHistory2 = 2 * kPairs2;
    static constexpr uint32_t kDownHistory3 = 2 * kPairs3;

    // Interpolator inputs (history, then the new samples) at 1x, 2x and 4x.
    alignas(32) std::array<float, kUpHistory1 + kMaxFrames + kPad> up1_{};
    alignas(32) std::array<float, kUpHistory2 + 2 * kMaxFrames + kPad> up2_{};
    alignas(32) std::array<float, kUpHistory3 + 4 * kMaxFrames + kPad> up3_{};
    // Decimator inputs split in even and odd samples, at 8x, 4x and 2x (each half at half that).
    alignas(32) std::array<float, kDownHistory3 + 4 * kMaxFrames + kPad> even3_{};
    alignas(32) std::array<float, kDownHistory3 + 4 * kMaxFrames + kPad> odd3_{};
    alignas(32) std::array<float, kDownHistory2 + 2 * kMaxFrames + kPad> even2_{};
    alignas(32) std::array<float, kDownHistory2 + 2 * kMaxFrames + kPad> odd2_{};
    alignas(32) std::array<float, kDownHistory1 + kMaxFrames + kPad> even1_{};
    alignas(32) std::array<float, kDownHistory1 + kMaxFrames + kPad> odd1_{};
    alignas(32) std::array<float, 4 * kMaxFrames + kPad> sums_{};

    // g_j of each stage; the interpolators use 2·g_j (zero stuffing halves the level).
    std::array<float, kPairs1> taps1_{};
    std::array<float, kPairs2> taps2_{};
    std::array<float, kPairs3> taps3_{};
    std::array<float, kPairs1> upTaps1_{};
    std::array<float, kPairs2> upTaps2_{};
    std::array<float, kPairs3> upTaps3_{};
};

}  // namespace liverack::core
