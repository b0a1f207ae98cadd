#include "core/dsp/effects/CompressorEffect.h"

#include <algorithm>
#include <cmath>

namespace liverack::core {
namespace {

// Per-sample dB conversions in single precision through log2/exp2: several times cheaper than
// double log10/pow, and far finer than the 0.3 dB the static curve is held to.
constexpr float kAmplitudeToDb = 6.020599913f;       // 20·log10(2)
constexpr float kPowerToDb = 3.010299957f;           // 10·log10(2)
constexpr float kDbToLog2Amplitude = 0.1660964047f;  // log2(10)/20

// One-pole coefficient for a time constant: after `ms` the state has covered 1 - 1/e of a step.
double onePole(double ms, double sampleRate) noexcept {
    return std::exp(-1.0 / (std::max(ms, 1e-3) * 1e-3 * sampleRate));
}

}  // namespace

const EffectInfo& CompressorEffect::staticInfo() {
    static const EffectInfo info{
        "compressor",
        "Compressor",
        {
            ParameterInfo::continuous("threshold_db", "Threshold", "dB", -60.0f, 0.0f, -18.0f),
            ParameterInfo::continuous("ratio", "Ratio", ":1", 1.0f, 20.0f, 4.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("knee_db", "Knee", "dB", 0.0f, 24.0f, 6.0f),
            ParameterInfo::continuous("attack_ms", "Attack", "ms", 0.1f, 200.0f, 10.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("release_ms", "Release", "ms", 5.0f, 2000.0f, 100.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("makeup_db", "Makeup", "dB", 0.0f, 24.0f, 0.0f),
            ParameterInfo::choice("detector", "Detector", {"peak", "rms"}, kPeak),
            ParameterInfo::continuous("mix", "Mix", "", 0.0f, 1.0f, 1.0f),
        },
        true,
        // Outputs, stored once per block: the reduction now and the level the detector reads.
        {
            ParameterInfo::continuous("gain_reduction_db", "Gain reduction", "dB", 0.0f, 60.0f,
                                      0.0f),
            ParameterInfo::continuous("input_db", "Detector level", "dBFS", -120.0f, 12.0f,
                                      -120.0f),
        }};
    return info;
}

CompressorEffect::CompressorEffect() : Effect(staticInfo()) {}

double CompressorEffect::gainReductionDb(double levelDb, double thresholdDb, double ratio,
                                         double kneeDb) noexcept {
    const double over = levelDb - thresholdDb;
    const double slope = 1.0 - 1.0 / ratio;
    if (2.0 * over <= -kneeDb) {
        return 0.0;
    }
    if (2.0 * over < kneeDb) {
        // Quadratic knee (Giannoulis et al., eq. 4): meets both straight parts with equal slope.
        const double x = over + kneeDb / 2.0;
        return slope * x * x / (2.0 * kneeDb);
    }
    return slope * over;
}

void CompressorEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    meanSquare_.assign(spec.channels, 0.0);
    rmsCoefficient_ = onePole(kRmsSeconds * 1000.0, sampleRate_);
    thresholdDb_.reset(sampleRate_, kRampSeconds);
    ratio_.reset(sampleRate_, kRampSeconds);
    kneeDb_.reset(sampleRate_, kRampSeconds);
    makeupDb_.reset(sampleRate_, kRampSeconds);
    mix_.reset(sampleRate_, kRampSeconds);
    reset();
}

void CompressorEffect::process(AudioBlock block) noexcept {
    const auto& p = parameters();
    thresholdDb_.setTarget(p.get(kThresholdDb));
    ratio_.setTarget(p.get(kRatio));
    kneeDb_.setTarget(p.get(kKneeDb));
    makeupDb_.setTarget(p.get(kMakeupDb));
    mix_.setTarget(p.get(kMix));
    const double attack = onePole(p.get(kAttackMs), sampleRate_);
    const double release = onePole(p.get(kReleaseMs), sampleRate_);
    const bool rms = p.getChoice(kDetector) == kRms;

    const uint32_t channels =
        std::min(block.channelCount(), static_cast<uint32_t>(meanSquare_.size()));
    for (uint32_t i = 0; i < block.frameCount(); ++i) {
        // Stereo-linked: the loudest channel decides, so the image does not wander.
        double levelDb = kFloorDb;
        if (rms) {
            double loudest = 0.0;
            for (uint32_t c = 0; c < channels; ++c) {
                const double x = block.channel(c)[i];
                meanSquare_[c] = x * x + rmsCoefficient_ * (meanSquare_[c] - x * x);
                loudest = std::max(loudest, meanSquare_[c]);
            }
            levelDb = std::max(kFloorDb, double(kPowerToDb * std::log2(float(loudest) + 1e-30f)));
        } else {
            float loudest = 0.0f;
            for (uint32_t c = 0; c < channels; ++c) {
                loudest = std::max(loudest, std::abs(block.channel(c)[i]));
            }
            levelDb = std::max(kFloorDb, double(kAmplitudeToDb * std::log2(loudest + 1e-30f)));
        }
        detectorDb_ = levelDb;
        const double target =
            gainReductionDb(levelDb, thresholdDb_.next(), ratio_.next(), kneeDb_.next());
        // Branching one-pole in the dB domain: attack while the reduction grows, release while
        // it shrinks, each an exact exponential with its own time constant.
        const double coefficient = target > reductionDb_ ? attack : release;
        reductionDb_ = target + coefficient * (reductionDb_ - target);
        const double wet = std::exp2(kDbToLog2Amplitude * float(makeupDb_.next() - reductionDb_));
        const double mix = mix_.next();
        const auto gain = static_cast<float>(1.0 - mix + mix * wet);
        for (uint32_t c = 0; c < channels; ++c) {
            block.channel(c)[i] *= gain;
        }
    }
    if (reductionDb_ < 1e-12) {
        reductionDb_ = 0.0;  // no denormals while idle
    }
    outputs().store(kGainReductionOutput, static_cast<float>(reductionDb_));
    outputs().store(kDetectorLevelOutput, static_cast<float>(std::max(-120.0, detectorDb_)));
    for (auto& m : meanSquare_) {
        if (m < 1e-30) {
            m = 0.0;
        }
    }
}

void CompressorEffect::reset() noexcept {
    const auto& p = parameters();
    thresholdDb_.setCurrentAndTarget(p.get(kThresholdDb));
    ratio_.setCurrentAndTarget(p.get(kRatio));
    kneeDb_.setCurrentAndTarget(p.get(kKneeDb));
    makeupDb_.setCurrentAndTarget(p.get(kMakeupDb));
    mix_.setCurrentAndTarget(p.get(kMix));
    std::fill(meanSquare_.begin(), meanSquare_.end(), 0.0);
    reductionDb_ = 0.0;
    detectorDb_ = kFloorDb;
    outputs().store(kGainReductionOutput, 0.0f);
    outputs().store(kDetectorLevelOutput, -120.0f);
}

}  // namespace liverack::core
