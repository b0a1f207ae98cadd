// Waveshaping distortion (soft tanh, hard clip, asymmetric "tube") run at 8× the stream rate
// inside an Oversampler (three half-band stages each way), so the harmonics the shaper creates
// above the stream's Nyquist are removed instead of aliasing.
#pragma once

#include <array>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/Oversampler.h"
#include "core/dsp/SmoothedValue.h"

namespace liverack::core {

class DistortionEffect final : public Effect {
public:
    enum Param : size_t { kDriveDb, kToneHz, kType, kOutputDb, kMix };
    enum Type : int { kSoft, kHard, kTube };
    static constexpr double kRampSeconds = 0.02;
    static constexpr uint32_t kOversampling = Oversampler::kFactor;
    // The oversampler's round trip; the dry path is delayed to match.
    static constexpr uint32_t kLatencyFrames = Oversampler::kLatencyFrames;
    static constexpr float kTubeBias = 0.3f;  // shifts tanh off centre: even harmonics

    DistortionEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;
    uint32_t latencyFrames() const noexcept override { return kLatencyFrames; }

    // The static transfer curve of each type (after drive, before tone and output gain).
    static float shape(int type, float x) noexcept;

private:
    // Frames processed at a time: the oversampler's block, and the length of the per-frame
    // parameter arrays the channels share.
    static constexpr uint32_t kChunk = Oversampler::kMaxFrames;

    struct ChannelState {
        Oversampler oversampler;
        std::vector<float> dryDelay;  // aligns the dry signal with the filters' latency
        uint32_t dryPos = 0;
        float dcIn = 0.0f;
        float dcOut = 0.0f;
        float tone = 0.0f;
        std::array<float, kChunk> wet{};  // the oversampler's output for the current chunk
    };

    void setTargets() noexcept;
    // Fills the per-frame parameter arrays for `frames` frames; `first` forces the gains and the
    // tone coefficient to be computed even when their ramps are idle.
    void advanceParameters(uint32_t frames, bool first) noexcept;
    // Applies the type curves, weighted per frame, to one half of the 8x signal in place.
    void shapeHalf(float* samples, uint32_t frames) noexcept;
    // DC blocker, tone, output gain and dry/wet mix of kCount channels, frame by frame.
    template <uint32_t kCount>
    void finish(ChannelState* states, float* const* samples, uint32_t frames) noexcept;

    double sampleRate_ = 48000.0;
    std::vector<ChannelState> channels_;
    float dcCoefficient_ = 0.0f;
    LinearSmoothedValue driveDb_{12.0f};
    MultiplicativeSmoothedValue toneHz_{4000.0f};
    LinearSmoothedValue outputDb_{-6.0f};
    LinearSmoothedValue mix_{1.0f};
    std::array<LinearSmoothedValue, 3> typeWeights_{};

    // Per-frame values of the current chunk.
    float drive_ = 1.0f;
    float output_ = 1.0f;
    float toneA_ = 0.0f;
    std::array<float, kChunk> driveGain_{};
    std::array<float, kChunk> outputGain_{};
    std::array<float, kChunk> toneCoefficient_{};
    std::array<float, kChunk> mixAmount_{};
    std::array<std::array<float, kChunk>, 3> weights_{};
    std::array<bool, 3> curveActive_{};  // a curve whose weight is 0 all chunk long is skipped
    std::array<float, kChunk> driven_{};
    alignas(32) std::array<float, 4 * kChunk> shapedSum_{};
};

}  // namespace liverack::core
