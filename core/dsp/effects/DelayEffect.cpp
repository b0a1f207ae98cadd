#include "core/dsp/effects/DelayEffect.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/dsp/effects/Denormals.h"

namespace liverack::core {

const EffectInfo& DelayEffect::staticInfo() {
    static const EffectInfo info{
        "delay",
        "Delay",
        {
            ParameterInfo::continuous("time_ms", "Time", "ms", 1.0f, kMaxTimeMs, 350.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("feedback", "Feedback", "", 0.0f, 0.95f, 0.35f),
            ParameterInfo::continuous("mix", "Mix", "", 0.0f, 1.0f, 0.3f),
            ParameterInfo::toggle("pingpong", "Ping-pong", false),
            ParameterInfo::continuous("highcut_hz", "High cut", "Hz", 1000.0f, 20000.0f, 8000.0f,
                                      ParameterSkew::Logarithmic),
        }};
    return info;
}

DelayEffect::DelayEffect() : Effect(staticInfo()) {}

void DelayEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    lowpassCutoff_ = -1.0f;  // the coefficient depends on the rate
    const auto maxSamples = static_cast<uint32_t>(std::ceil(kMaxTimeMs * 0.001 * sampleRate_)) + 2u;
    for (auto& line : lines_) {
        line.prepare(maxSamples);
    }
    glideCoefficient_ = 1.0 - std::exp(-1.0 / (kGlideSeconds * sampleRate_));
    reset();
}

double DelayEffect::targetDelaySamples() const noexcept {
    return parameters().get(kTimeMs) * 0.001 * sampleRate_;
}

void DelayEffect::setTargets() noexcept {
    const auto& p = parameters();
    feedback_.setTarget(p.get(kFeedback));
    mix_.setTarget(p.get(kMix));
    pingPong_.setTarget(p.getBool(kPingPong) ? 1.0f : 0.0f);
    // The bilinear one-pole cannot reach Nyquist; keep the corner safely below it.
    highCut_.setTarget(std::min(p.get(kHighCutHz), static_cast<float>(0.45 * sampleRate_)));
}

void DelayEffect::process(AudioBlock block) noexcept {
    setTargets();
    const uint32_t frames = block.frameCount();
    const uint32_t channels = std::min(block.channelCount(), 2u);
    if (channels == 0) {
        return;
    }
    const double target = targetDelaySamples();
    float* left = block.channel(0);
    float* right = channels > 1 ? block.channel(1) : nullptr;
    for (uint32_t i = 0; i < frames; ++i) {
        // Glide: one-pole towards the target, speed-limited so the read head never jumps.
        delaySamples_ += std::clamp((target - delaySamples_) * glideCoefficient_, -kMaxGlideSpeed,
                                    kMaxGlideSpeed);
        const auto delay = static_cast<float>(delaySamples_);
        const float feedback = feedback_.next();
        const float mix = mix_.next();
        const float pp = pingPong_.next();
        // One-pole low-pass (impulse-invariant form: DC gain exactly 1, never overshoots). Its
        // coefficient changes only while the cutoff glides: no exp() per sample otherwise.
        if (const float cutoff = highCut_.next(); cutoff != lowpassCutoff_) {
            lowpassCutoff_ = cutoff;
            lowpassCoefficient_ = std::exp(-2.0f * std::numbers::pi_v<float> * cutoff /
                                           static_cast<float>(sampleRate_));
        }
        const float a = lowpassCoefficient_;
        // The line is read one sample before this frame is written, hence delay − 1.
        float wet[2] = {0.0f, 0.0f};
        for (uint32_t c = 0; c < channels; ++c) {
            const float raw = lines_[c].read(delay - 1.0f);
            lowpassState_[c] = flushDenormal(raw + a * (lowpassState_[c] - raw));
            wet[c] = lowpassState_[c];
        }
        if (right == nullptr) {
            const float x = left[i];
            lines_[0].push(x + feedback * wet[0]);
            left[i] = (1.0f - mix) * x + mix * wet[0];
            continue;
        }
        const float xl = left[i];
        const float xr = right[i];
        // Straight: each side feeds itself. Ping-pong: the mono sum enters on the left and
        // each side feeds the other, so repeats alternate L, R, L, ...
        const float inL = (1.0f - pp) * xl + pp * 0.5f * (xl + xr);
        const float inR = (1.0f - pp) * xr;
        const float backL = (1.0f - pp) * wet[0] + pp * wet[1];
        const float backR = (1.0f - pp) * wet[1] + pp * wet[0];
        lines_[0].push(inL + feedback * backL);
        lines_[1].push(inR + feedback * backR);
        left[i] = (1.0f - mix) * xl + mix * wet[0];
        right[i] = (1.0f - mix) * xr + mix * wet[1];
    }
}

void DelayEffect::reset() noexcept {
    for (auto& line : lines_) {
        line.reset();
    }
    lowpassState_ = {};
    feedback_.reset(sampleRate_, kRampSeconds);
    mix_.reset(sampleRate_, kRampSeconds);
    pingPong_.reset(sampleRate_, kRampSeconds);
    highCut_.reset(sampleRate_, kRampSeconds);
    setTargets();
    feedback_.setCurrentAndTarget(feedback_.target());
    mix_.setCurrentAndTarget(mix_.target());
    pingPong_.setCurrentAndTarget(pingPong_.target());
    highCut_.setCurrentAndTarget(highCut_.target());
    delaySamples_ = targetDelaySamples();
}

}  // namespace liverack::core
