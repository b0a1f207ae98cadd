// Chorus: a short delay swept by a sine LFO (read with interpolation), with feedback and a
// quarter-cycle LFO offset between left and right for width.
#pragma once

#include <array>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"
#include "core/dsp/effects/InterpolatedDelayLine.h"

namespace liverack::core {

class ChorusEffect final : public Effect {
public:
    enum Param : size_t { kRateHz, kDepthMs, kDelayMs, kFeedback, kMix };
    static constexpr double kRampSeconds = 0.02;
    // Delay and depth ramp more slowly: the read head's speed changes by (Δdelay / ramp), and
    // 0.2 s keeps a 1→30 ms jump under about 0.5 sample per sample (a bend, never a zip).
    static constexpr double kDelayRampSeconds = 0.2;
    static constexpr float kStereoPhaseCycles = 0.25f;  // right LFO runs 90° behind the left
    static constexpr float kMaxDelayMs = 30.0f;
    static constexpr float kMaxDepthMs = 10.0f;

    ChorusEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

private:
    void setTargets() noexcept;

    double sampleRate_ = 48000.0;
    double phase_ = 0.0;  // cycles, left channel
    std::array<InterpolatedDelayLine, 2> lines_;
    MultiplicativeSmoothedValue rate_{0.8f};
    LinearSmoothedValue depthMs_{3.0f};
    MultiplicativeSmoothedValue delayMs_{12.0f};
    LinearSmoothedValue feedback_{0.0f};
    LinearSmoothedValue mix_{0.5f};
};

}  // namespace liverack::core
