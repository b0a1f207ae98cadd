// Noise gate: stereo-linked peak detector, opens at the threshold and closes only below
// threshold − hysteresis after the hold time; the gain ramps linearly between full and the
// closed attenuation (range) over the attack and release times.
#pragma once

#include <cstdint>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"

namespace liverack::core {

class GateEffect final : public Effect {
public:
    enum Param : size_t { kThresholdDb, kHysteresisDb, kAttackMs, kHoldMs, kReleaseMs, kRangeDb };
    enum Output : size_t { kGainReductionOutput };
    static constexpr double kRampSeconds = 0.02;
    // Decay time constant of the peak detector: bridges the troughs of a 100 Hz wave within
    // 2.2 dB (the hysteresis absorbs that) and follows a stop down by 20 dB in 46 ms.
    static constexpr double kDetectorSeconds = 0.02;

    GateEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

    bool isOpen() const noexcept { return open_; }

private:
    LinearSmoothedValue rangeDb_;
    double sampleRate_ = 48000.0;
    float detectorCoefficient_ = 0.0f;
    float envelope_ = 0.0f;
    float openness_ = 0.0f;  // 0 = closed (range), 1 = open (unity)
    float lastGain_ = 1.0f;  // the last frame's gain, reported as the gain reduction
    bool open_ = false;
    int64_t holdRemaining_ = 0;
};

}  // namespace liverack::core
