#include "core/dsp/effects/GainEffect.h"

#include <algorithm>
#include <cmath>

namespace liverack::core {

const EffectInfo& GainEffect::staticInfo() {
    static const EffectInfo info{
        "gain",
        "Gain",
        {
            ParameterInfo::continuous("gain_db", "Gain", "dB", -60.0f, 24.0f, 0.0f),
            ParameterInfo::continuous("pan", "Balance", "", -1.0f, 1.0f, 0.0f),
            ParameterInfo::toggle("invert_left", "Invert left", false),
            ParameterInfo::toggle("invert_right", "Invert right", false),
            ParameterInfo::toggle("mute", "Mute", false),
        }};
    return info;
}

GainEffect::GainEffect() : Effect(staticInfo()) {}

void GainEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    reset();
}

float GainEffect::targetGain(uint32_t channel) const noexcept {
    const auto& p = parameters();
    if (p.getBool(kMute)) {
        return 0.0f;
    }
    float gain = std::pow(10.0f, p.get(kGainDb) / 20.0f);
    const float pan = p.get(kPan);
    if (channel == 0) {
        gain *= std::min(1.0f, 1.0f - pan) * (p.getBool(kInvertLeft) ? -1.0f : 1.0f);
    } else if (channel == 1) {
        gain *= std::min(1.0f, 1.0f + pan) * (p.getBool(kInvertRight) ? -1.0f : 1.0f);
    }
    return gain;
}

void GainEffect::process(AudioBlock block) noexcept {
    const uint32_t channels = std::min(block.channelCount(), kMaxSmoothedChannels);
    for (uint32_t c = 0; c < channels; ++c) {
        auto& smoother = channelGains_[c];
        smoother.setTarget(targetGain(c));
        float* samples = block.channel(c);
        if (!smoother.isSmoothing()) {
            const float g = smoother.target();
            for (uint32_t i = 0; i < block.frameCount(); ++i) {
                samples[i] *= g;
            }
            continue;
        }
        for (uint32_t i = 0; i < block.frameCount(); ++i) {
            samples[i] *= smoother.next();
        }
    }
}

void GainEffect::reset() noexcept {
    for (uint32_t c = 0; c < kMaxSmoothedChannels; ++c) {
        channelGains_[c].reset(sampleRate_, kRampSeconds);
        channelGains_[c].setCurrentAndTarget(targetGain(c));
    }
}

}  // namespace liverack::core
