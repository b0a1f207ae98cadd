// Gain, balance, polarity and mute: the simplest effect, and the output trim of `--gain-db`.
#pragma once

#include <array>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"

namespace liverack::core {

class GainEffect final : public Effect {
public:
    enum Param : size_t { kGainDb, kPan, kInvertLeft, kInvertRight, kMute };
    static constexpr double kRampSeconds = 0.02;

    GainEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

private:
    // Linear gain each channel should reach, from the parameters (balance law: the centre is
    // unity on both sides, a side is only ever turned down).
    float targetGain(uint32_t channel) const noexcept;

    static constexpr uint32_t kMaxSmoothedChannels = 32;
    std::array<LinearSmoothedValue, kMaxSmoothedChannels> channelGains_{};
    double sampleRate_ = 48000.0;
};

}  // namespace liverack::core
