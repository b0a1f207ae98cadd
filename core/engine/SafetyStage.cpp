#include "core/engine/SafetyStage.h"

#include <algorithm>
#include <cmath>

namespace liverack::core {

void SafetyStage::prepare(const ProcessSpec& spec) {
    fadeInStep_ = static_cast<float>(1.0 / std::max(1.0, spec.sampleRate * kFadeInSeconds));
    fadeOutStep_ = static_cast<float>(1.0 / std::max(1.0, spec.sampleRate * kFadeOutSeconds));
    silence();
}

SafetyStage::Counts SafetyStage::process(AudioBlock block) noexcept {
    Counts counts;
    const uint32_t frames = block.frameCount();
    const float startGain = gain_;
    float endGain = gain_;
    for (uint32_t c = 0; c < block.channelCount(); ++c) {
        float* samples = block.channel(c);
        float gain = startGain;
        const bool fading = gain != target_;
        for (uint32_t i = 0; i < frames; ++i) {
            float x = samples[i];
            if (!std::isfinite(x)) {
                x = 0.0f;
                ++counts.nonFinite;
            }
            if (x > 1.0f || x < -1.0f) {
                x = std::clamp(x, -1.0f, 1.0f);
                ++counts.clipped;
            }
            if (fading) {
                gain = target_ > gain ? std::min(target_, gain + fadeInStep_)
                                      : std::max(target_, gain - fadeOutStep_);
            }
            samples[i] = x * gain;
        }
        endGain = gain;
    }
    gain_ = endGain;
    return counts;
}

}  // namespace liverack::core
