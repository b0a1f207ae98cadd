#include "core/dsp/effects/TremoloEffect.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace liverack::core {

const EffectInfo& TremoloEffect::staticInfo() {
    static const EffectInfo info{
        "tremolo",
        "Tremolo",
        {
            ParameterInfo::continuous("rate_hz", "Rate", "Hz", 0.1f, 20.0f, 5.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("depth", "Depth", "", 0.0f, 1.0f, 0.5f),
            ParameterInfo::choice("shape", "Shape", {"sine", "triangle", "square"}, kSine),
            ParameterInfo::continuous("stereo_phase_deg", "Stereo phase", "°", 0.0f, 180.0f, 0.0f),
        }};
    return info;
}

TremoloEffect::TremoloEffect() : Effect(staticInfo()) {}

void TremoloEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    reset();
}

float TremoloEffect::shapeValue(int shape, float phase) noexcept {
    constexpr float kTwoPi = 2.0f * std::numbers::pi_v<float>;
    const float s = std::sin(kTwoPi * phase);
    switch (shape) {
        case kTriangle: {
            // Starts at 0 rising, like the sine, so switching shapes keeps the LFO's timing.
            float shifted = phase + 0.75f;
            shifted -= std::floor(shifted);
            return 4.0f * std::abs(shifted - 0.5f) - 1.0f;
        }
        case kSquare: {
            static const float kNorm = 1.0f / std::tanh(kSquareSteepness);
            return std::tanh(kSquareSteepness * s) * kNorm;
        }
        default:
            return s;
    }
}

void TremoloEffect::setTargets() noexcept {
    const auto& p = parameters();
    rate_.setTarget(p.get(kRateHz));
    depth_.setTarget(p.get(kDepth));
    stereoPhase_.setTarget(p.get(kStereoPhaseDeg) / 360.0f);
    const int shape = std::clamp(p.getChoice(kShape), 0, 2);
    for (int s = 0; s < 3; ++s) {
        shapeWeights_[s].setTarget(s == shape ? 1.0f : 0.0f);
    }
}

void TremoloEffect::process(AudioBlock block) noexcept {
    setTargets();
    const uint32_t frames = block.frameCount();
    const uint32_t channels = block.channelCount();
    for (uint32_t i = 0; i < frames; ++i) {
        const float depth = depth_.next();
        const float offset = stereoPhase_.next();
        const float w[3] = {shapeWeights_[0].next(), shapeWeights_[1].next(),
                            shapeWeights_[2].next()};
        for (uint32_t c = 0; c < channels; ++c) {
            // Odd channels (the right of each pair) run behind by the stereo phase.
            float phase = static_cast<float>(phase_) - ((c & 1u) ? offset : 0.0f);
            phase -= std::floor(phase);
            float lfo = 0.0f;
            for (int s = 0; s < 3; ++s) {
                if (w[s] != 0.0f) {
                    lfo += w[s] * shapeValue(s, phase);
                }
            }
            // (1 + d·lfo)/(1 + d): peak 1, trough (1 − d)/(1 + d); depth 0.5 gives 1/3.
            const float gain = (1.0f + depth * lfo) / (1.0f + depth);
            block.channel(c)[i] *= gain;
        }
        phase_ += rate_.next() / sampleRate_;
        if (phase_ >= 1.0) {
            phase_ -= 1.0;
        }
    }
}

void TremoloEffect::reset() noexcept {
    phase_ = 0.0;
    rate_.reset(sampleRate_, kRampSeconds);
    depth_.reset(sampleRate_, kRampSeconds);
    stereoPhase_.reset(sampleRate_, kRampSeconds);
    for (auto& w : shapeWeights_) {
        w.reset(sampleRate_, kRampSeconds);
    }
    setTargets();
    rate_.setCurrentAndTarget(rate_.target());
    depth_.setCurrentAndTarget(depth_.target());
    stereoPhase_.setCurrentAndTarget(stereoPhase_.target());
    for (auto& w : shapeWeights_) {
        w.setCurrentAndTarget(w.target());
    }
}

}  // namespace liverack::core
