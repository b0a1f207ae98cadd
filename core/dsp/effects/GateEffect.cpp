#include "core/dsp/effects/GateEffect.h"

#include <algorithm>
#include <cmath>

namespace liverack::core {
namespace {

float dbToGain(double db) noexcept {
    return static_cast<float>(std::pow(10.0, db / 20.0));
}

}  // namespace

const EffectInfo& GateEffect::staticInfo() {
    static const EffectInfo info{
        "gate",
        "Gate",
        {
            ParameterInfo::continuous("threshold_db", "Threshold", "dB", -90.0f, 0.0f, -50.0f),
            ParameterInfo::continuous("hysteresis_db", "Hysteresis", "dB", 0.0f, 20.0f, 4.0f),
            ParameterInfo::continuous("attack_ms", "Attack", "ms", 0.1f, 50.0f, 1.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("hold_ms", "Hold", "ms", 0.0f, 500.0f, 50.0f),
            ParameterInfo::continuous("release_ms", "Release", "ms", 5.0f, 2000.0f, 150.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("range_db", "Range", "dB", -90.0f, 0.0f, -80.0f),
        },
        true,
        {ParameterInfo::continuous("gain_reduction_db", "Gain reduction", "dB", 0.0f, 90.0f,
                                   0.0f)}};
    return info;
}

GateEffect::GateEffect() : Effect(staticInfo()) {}

void GateEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    detectorCoefficient_ = static_cast<float>(std::exp(-1.0 / (kDetectorSeconds * sampleRate_)));
    rangeDb_.reset(sampleRate_, kRampSeconds);
    reset();
}

void GateEffect::process(AudioBlock block) noexcept {
    const auto& p = parameters();
    const double thresholdDb = p.get(kThresholdDb);
    // Compared in the linear domain: no logarithm per sample.
    const float openLevel = dbToGain(thresholdDb);
    const float closeLevel = dbToGain(thresholdDb - p.get(kHysteresisDb));
    const float attackStep = static_cast<float>(1.0 / (p.get(kAttackMs) * 1e-3 * sampleRate_));
    const float releaseStep = static_cast<float>(1.0 / (p.get(kReleaseMs) * 1e-3 * sampleRate_));
    const auto holdFrames = static_cast<int64_t>(std::round(p.get(kHoldMs) * 1e-3 * sampleRate_));
    rangeDb_.setTarget(p.get(kRangeDb));
    float range = dbToGain(rangeDb_.current());

    for (uint32_t i = 0; i < block.frameCount(); ++i) {
        float peak = 0.0f;
        for (uint32_t c = 0; c < block.channelCount(); ++c) {
            peak = std::max(peak, std::abs(block.channel(c)[i]));
        }
        envelope_ = std::max(peak, envelope_ * detectorCoefficient_);
        if (envelope_ >= openLevel) {
            open_ = true;
            holdRemaining_ = holdFrames;
        } else if (envelope_ < closeLevel) {
            if (holdRemaining_ > 0) {
                --holdRemaining_;
            } else {
                open_ = false;
            }
        } else if (open_) {
            holdRemaining_ = holdFrames;  // hold counts from when the level leaves the band
        }
        openness_ = open_ ? std::min(1.0f, openness_ + attackStep)
                          : std::max(0.0f, openness_ - releaseStep);
        if (rangeDb_.isSmoothing()) {
            range = dbToGain(rangeDb_.next());
        }
        // Linear in amplitude, so no sample step exceeds 1 / (ramp frames) of the signal.
        const float gain = range + (1.0f - range) * openness_;
        lastGain_ = gain;
        for (uint32_t c = 0; c < block.channelCount(); ++c) {
            block.channel(c)[i] *= gain;
        }
    }
    if (envelope_ < 1e-30f) {
        envelope_ = 0.0f;
    }
    outputs().store(kGainReductionOutput, -20.0f * std::log10(std::clamp(lastGain_, 1e-6f, 1.0f)));
}

void GateEffect::reset() noexcept {
    rangeDb_.setCurrentAndTarget(parameters().get(kRangeDb));
    envelope_ = 0.0f;
    openness_ = 0.0f;
    lastGain_ = 1.0f;
    outputs().store(kGainReductionOutput, 0.0f);
    open_ = false;
    holdRemaining_ = 0;
}

}  // namespace liverack::core
