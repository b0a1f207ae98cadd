#include "core/dsp/EffectSlot.h"

#include <algorithm>
#include <cmath>

namespace liverack::core {

EffectSlot::EffectSlot(std::unique_ptr<Effect> effect, bool bypassed)
    : effect_(std::move(effect)), bypassed_(bypassed), wetGain_(bypassed ? 0.0f : 1.0f) {}

void EffectSlot::prepare(const ProcessSpec& spec) {
    if (prepared_ && spec == spec_) {
        return;
    }
    effect_->prepare(spec);
    effect_->reset();
    dry_.resize(spec.channels, spec.maxBlockFrames);
    fadeStep_ = 1.0f / std::max(1.0f, static_cast<float>(spec.sampleRate * kBypassFadeSeconds));
    wetGain_ = isBypassed() ? 0.0f : 1.0f;
    spec_ = spec;
    prepared_ = true;
    played_ = false;
}

void EffectSlot::process(AudioBlock block, AudioBlock reference) noexcept {
    played_ = true;
    // Handed over bypassed or not, so an effect never holds a far-end block older than the
    // current one. A fully bypassed effect is not run (it costs nothing) and was reset when the
    // fade to bypass ended, so an echo canceller adapts afresh once it is switched back in:
    // running it hidden to keep its model converged would make bypass cost the effect's CPU.
    effect_->setReference(reference);
    const float target = isBypassed() ? 0.0f : 1.0f;
    if (wetGain_ == target) {
        if (target == 1.0f) {
            effect_->process(block);
        }
        return;
    }
    // Crossfade: keep the dry signal, process, then blend sample by sample.
    const uint32_t frames = block.frameCount();
    const uint32_t channels = std::min(block.channelCount(), dry_.channelCount());
    AudioBlock dry = dry_.block(frames);
    dry.copyFrom(block);
    effect_->process(block);
    const float direction = target > wetGain_ ? fadeStep_ : -fadeStep_;
    float gain = wetGain_;
    for (uint32_t i = 0; i < frames; ++i) {
        gain = std::clamp(gain + direction, 0.0f, 1.0f);
        for (uint32_t c = 0; c < channels; ++c) {
            const float d = dry.channel(c)[i];
            block.channel(c)[i] = d + gain * (block.channel(c)[i] - d);
        }
    }
    wetGain_ = gain;
    if (wetGain_ == 0.0f) {
        effect_->reset();  // a re-enabled effect starts clean, not from a stale tail
    }
}

void EffectSlot::reset() noexcept {
    effect_->reset();
    wetGain_ = isBypassed() ? 0.0f : 1.0f;
    played_ = false;  // its delay lines are empty again
}

uint32_t EffectSlot::latencyFrames() const noexcept {
    return isBypassed() ? 0 : effect_->latencyFrames();
}

}  // namespace liverack::core
