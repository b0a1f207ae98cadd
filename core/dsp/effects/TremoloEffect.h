// Tremolo: amplitude modulation by a sine, triangle or softened-square LFO, with a stereo phase
// offset. The gain never exceeds unity: it swings between (1 − depth)/(1 + depth) and 1.
#pragma once

#include <array>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"

namespace liverack::core {

class TremoloEffect final : public Effect {
public:
    enum Param : size_t { kRateHz, kDepth, kShape, kStereoPhaseDeg };
    enum Shape : int { kSine, kTriangle, kSquare };
    static constexpr double kRampSeconds = 0.02;
    // Steepness of the softened square, tanh(k·sin): its edges take about 1/(2πk) of a period,
    // about 1.6 ms at the fastest rate (20 Hz), so the gain never steps.
    static constexpr float kSquareSteepness = 5.0f;

    TremoloEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

    // The LFO value in [−1, 1] of each shape at a phase in cycles [0, 1).
    static float shapeValue(int shape, float phase) noexcept;

private:
    void setTargets() noexcept;

    double sampleRate_ = 48000.0;
    double phase_ = 0.0;  // cycles, channel 0
    MultiplicativeSmoothedValue rate_{5.0f};
    LinearSmoothedValue depth_{0.5f};
    LinearSmoothedValue stereoPhase_{0.0f};
    // One weight per shape, ramped so a shape switch crossfades instead of stepping.
    std::array<LinearSmoothedValue, 3> shapeWeights_{};
};

}  // namespace liverack::core
