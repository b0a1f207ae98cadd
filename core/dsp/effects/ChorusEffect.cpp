#include "core/dsp/effects/ChorusEffect.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace liverack::core {

const EffectInfo& ChorusEffect::staticInfo() {
    static const EffectInfo info{
        "chorus",
        "Chorus",
        {
            ParameterInfo::continuous("rate_hz", "Rate", "Hz", 0.05f, 10.0f, 0.8f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("depth_ms", "Depth", "ms", 0.0f, kMaxDepthMs, 3.0f),
            ParameterInfo::continuous("delay_ms", "Delay", "ms", 1.0f, kMaxDelayMs, 12.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("feedback", "Feedback", "", -0.9f, 0.9f, 0.0f),
            ParameterInfo::continuous("mix", "Mix", "", 0.0f, 1.0f, 0.5f),
        }};
    return info;
}

ChorusEffect::ChorusEffect() : Effect(staticInfo()) {}

void ChorusEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    const auto maxSamples =
        static_cast<uint32_t>(std::ceil((kMaxDelayMs + kMaxDepthMs) * 0.001 * sampleRate_)) + 4u;
    for (auto& line : lines_) {
        line.prepare(maxSamples);
    }
    reset();
}

void ChorusEffect::setTargets() noexcept {
    const auto& p = parameters();
    rate_.setTarget(p.get(kRateHz));
    depthMs_.setTarget(p.get(kDepthMs));
    delayMs_.setTarget(p.get(kDelayMs));
    feedback_.setTarget(p.get(kFeedback));
    mix_.setTarget(p.get(kMix));
}

void ChorusEffect::process(AudioBlock block) noexcept {
    setTargets();
    constexpr double kTwoPi = 2.0 * std::numbers::pi;
    const uint32_t frames = block.frameCount();
    const uint32_t channels = std::min(block.channelCount(), 2u);
    const float msToSamples = static_cast<float>(0.001 * sampleRate_);
    // The LFO as a rotating phasor (sin, cos) of 2π·phase: exact at the start of each block,
    // then turned by the per-frame angle, which needs a new sin/cos only while the rate glides
    // (two sin calls per frame were a third of the chorus's cost). The right LFO is a quarter
    // cycle behind: sin(2π(φ − 1/4)) = −cos(2πφ).
    static_assert(kStereoPhaseCycles == 0.25f);
    double sine = std::sin(kTwoPi * phase_);
    double cosine = std::cos(kTwoPi * phase_);
    double stepRate = -1.0;
    double stepSine = 0.0;
    double stepCosine = 1.0;
    for (uint32_t i = 0; i < frames; ++i) {
        const float depth = depthMs_.next();
        const float delay = delayMs_.next();
        const float feedback = feedback_.next();
        const float mix = mix_.next();
        const float lfos[2] = {static_cast<float>(sine), static_cast<float>(-cosine)};
        for (uint32_t c = 0; c < channels; ++c) {
            const float lfo = lfos[c];
            // The delay sweeps between delay_ms and delay_ms + depth_ms.
            const float d = (delay + depth * 0.5f * (1.0f + lfo)) * msToSamples;
            float* samples = block.channel(c);
            const float x = samples[i];
            // Read before writing this frame, hence d − 1 (see InterpolatedDelayLine::read).
            const float wet = lines_[c].read(d - 1.0f);
            lines_[c].push(x + feedback * wet);
            samples[i] = (1.0f - mix) * x + mix * wet;
        }
        const double rate = rate_.next();
        if (rate != stepRate) {
            stepRate = rate;
            stepSine = std::sin(kTwoPi * rate / sampleRate_);
            stepCosine = std::cos(kTwoPi * rate / sampleRate_);
        }
        phase_ += rate / sampleRate_;
        if (phase_ >= 1.0) {
            phase_ -= 1.0;
        }
        const double turned = sine * stepCosine + cosine * stepSine;
        cosine = cosine * stepCosine - sine * stepSine;
        sine = turned;
    }
}

void ChorusEffect::reset() noexcept {
    phase_ = 0.0;
    for (auto& line : lines_) {
        line.reset();
    }
    rate_.reset(sampleRate_, kRampSeconds);
    depthMs_.reset(sampleRate_, kDelayRampSeconds);
    delayMs_.reset(sampleRate_, kDelayRampSeconds);
    feedback_.reset(sampleRate_, kRampSeconds);
    mix_.reset(sampleRate_, kRampSeconds);
    setTargets();
    rate_.setCurrentAndTarget(rate_.target());
    depthMs_.setCurrentAndTarget(depthMs_.target());
    delayMs_.setCurrentAndTarget(delayMs_.target());
    feedback_.setCurrentAndTarget(feedback_.target());
    mix_.setCurrentAndTarget(mix_.target());
}

}  // namespace liverack::core
