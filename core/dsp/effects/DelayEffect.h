// Feedback delay with optional ping-pong routing and a one-pole high-cut in the loop. Time changes
// glide: the read position follows the target smoothly and is read with interpolation.
#pragma once

#include <array>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"
#include "core/dsp/effects/InterpolatedDelayLine.h"

namespace liverack::core {

class DelayEffect final : public Effect {
public:
    enum Param : size_t { kTimeMs, kFeedback, kMix, kPingPong, kHighCutHz };
    static constexpr double kRampSeconds = 0.02;
    static constexpr float kMaxTimeMs = 2000.0f;
    // The read position glides towards a new time with this time constant, and never moves
    // faster than kMaxGlideSpeed samples per sample (so the glide's pitch bend stays within
    // 0.1×…1.9× of the original speed instead of jumping).
    static constexpr double kGlideSeconds = 0.08;
    static constexpr double kMaxGlideSpeed = 0.9;

    DelayEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

private:
    void setTargets() noexcept;
    double targetDelaySamples() const noexcept;

    double sampleRate_ = 48000.0;
    std::array<InterpolatedDelayLine, 2> lines_;
    std::array<float, 2> lowpassState_{};
    float lowpassCutoff_ = -1.0f;  // the cutoff lowpassCoefficient_ was computed for
    float lowpassCoefficient_ = 0.0f;
    // Current read distance, gliding towards the target; double, because in float a slow glide
    // stalls samples short of its target (the step falls below half an ulp).
    double delaySamples_ = 1.0;
    double glideCoefficient_ = 0.0;
    LinearSmoothedValue feedback_{0.35f};
    LinearSmoothedValue mix_{0.3f};
    LinearSmoothedValue pingPong_{0.0f};  // 0 = straight, 1 = ping-pong; ramped between
    MultiplicativeSmoothedValue highCut_{8000.0f};
};

}  // namespace liverack::core
