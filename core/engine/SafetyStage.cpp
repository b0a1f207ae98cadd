#include "core/engine/SafetyStage.h"

#include <algorithm>
#include <cmath>

namespace liverack::core {

void SafetyStage::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    fadeInStep_ = 1.0 / std::max(1.0, spec.sampleRate * kFadeInSeconds);
    fadeOutStep_ = 1.0 / std::max(1.0, spec.sampleRate * kFadeOutSeconds);
    silence();
}

void SafetyStage::fadeIn(double seconds, uint32_t holdFrames) noexcept {
    // A NaN fails both comparisons of clamp's contract: treat it as the default.
    const double length = std::isfinite(seconds)
                              ? std::clamp(seconds, kFadeInSeconds, kMaxFadeInSeconds)
                              : kFadeInSeconds;
    fadeInStep_ = 1.0 / std::max(1.0, sampleRate_ * length);
    target_ = 1.0;
    // Held only while still silent: a fade-in asked for while audio plays keeps playing.
    holdFrames_ = gain_ == 0.0 ? holdFrames : 0;
}

SafetyStage::Counts SafetyStage::process(AudioBlock block) noexcept {
    Counts counts;
    const uint32_t frames = block.frameCount();
    // Silent frames of a hold, then the fade from where the hold ends within this block.
    const uint32_t held = target_ > 0.0 ? std::min(holdFrames_, frames) : 0;
    holdFrames_ -= held;
    const double startGain = gain_;
    double endGain = gain_;
    for (uint32_t c = 0; c < block.channelCount(); ++c) {
        float* samples = block.channel(c);
        double gain = startGain;
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
            if (fading && i >= held) {
                gain = target_ > gain ? std::min(target_, gain + fadeInStep_)
                                      : std::max(target_, gain - fadeOutStep_);
            }
            samples[i] = x * static_cast<float>(gain);
        }
        endGain = gain;
    }
    gain_ = endGain;
    return counts;
}

}  // namespace liverack::core
