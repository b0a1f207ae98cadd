#include "core/dsp/effects/DistortionEffect.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace liverack::core {
namespace {

double besselI0(double x) {
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 50; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < 1e-12 * sum) {
            break;
        }
    }
    return sum;
}

}  // namespace

const EffectInfo& DistortionEffect::staticInfo() {
    static const EffectInfo info{
        "distortion",
        "Distortion",
        {
            ParameterInfo::continuous("drive_db", "Drive", "dB", 0.0f, 48.0f, 12.0f),
            ParameterInfo::continuous("tone_hz", "Tone", "Hz", 500.0f, 12000.0f, 4000.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::choice("type", "Type", {"soft", "hard", "tube"}, kSoft),
            ParameterInfo::continuous("output_db", "Output", "dB", -24.0f, 12.0f, -6.0f),
            ParameterInfo::continuous("mix", "Mix", "", 0.0f, 1.0f, 1.0f),
        }};
    return info;
}

DistortionEffect::DistortionEffect() : Effect(staticInfo()) {
    // Kaiser-windowed sinc at the oversampled rate: pass band to 0.4·fs, stop band from 0.5·fs
    // of the stream rate, β for about 90 dB of stop-band rejection (Kaiser's formula).
    constexpr double kPassEdge = 0.4 / kOversampling;
    constexpr double kStopEdge = 0.5 / kOversampling;
    constexpr double kCutoff = 0.5 * (kPassEdge + kStopEdge);
    constexpr double kBeta = 0.1102 * (90.0 - 8.7);
    const double centre = (kFilterLength - 1) / 2.0;
    const double i0Beta = besselI0(kBeta);
    double sum = 0.0;
    std::array<double, kFilterLength> h{};
    for (uint32_t k = 0; k < kFilterLength; ++k) {
        const double n = k - centre;
        const double sinc =
            n == 0.0 ? 2.0 * kCutoff
                     : std::sin(2.0 * std::numbers::pi * kCutoff * n) / (std::numbers::pi * n);
        const double r = n / centre;
        const double window = besselI0(kBeta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0Beta;
        h[k] = sinc * window;
        sum += h[k];
    }
    for (uint32_t k = 0; k < kFilterLength; ++k) {
        prototype_[k] = static_cast<float>(h[k] / sum);  // unity gain at DC
    }
    for (uint32_t p = 0; p < kOversampling; ++p) {
        for (uint32_t j = 0; j < kInputHistory; ++j) {
            const uint32_t k = kOversampling * j + p;
            upPhases_[p][j] =
                k < kFilterLength ? static_cast<float>(kOversampling * h[k] / sum) : 0.0f;
        }
    }
}

void DistortionEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    channels_.assign(spec.channels, ChannelState{});
    for (auto& s : channels_) {
        s.inputHistory.assign(2 * kInputHistory, 0.0f);
        s.shapedHistory.assign(2 * kShapedHistory, 0.0f);
        s.dryDelay.assign(kTapsPerPhase, 0.0f);
    }
    // DC blocker corner ≈ 5 Hz: removes the tube curve's offset, leaves the audio band alone.
    dcCoefficient_ = static_cast<float>(std::exp(-2.0 * std::numbers::pi * 5.0 / sampleRate_));
    reset();
}

float DistortionEffect::shape(int type, float x) noexcept {
    switch (type) {
        case kHard:
            return std::clamp(x, -1.0f, 1.0f);
        case kTube: {
            static const float kOffset = std::tanh(kTubeBias);
            return std::tanh(x + kTubeBias) - kOffset;
        }
        default:
            return std::tanh(x);
    }
}

void DistortionEffect::setTargets() noexcept {
    const auto& p = parameters();
    driveDb_.setTarget(p.get(kDriveDb));
    toneHz_.setTarget(p.get(kToneHz));
    outputDb_.setTarget(p.get(kOutputDb));
    mix_.setTarget(p.get(kMix));
    const int type = std::clamp(p.getChoice(kType), 0, 2);
    for (int t = 0; t < 3; ++t) {
        typeWeights_[t].setTarget(t == type ? 1.0f : 0.0f);
    }
}

float DistortionEffect::processSample(ChannelState& s, float x, float drive,
                                      const std::array<float, 3>& weights) noexcept {
    // Interpolate: one new stream sample, kOversampling outputs from the polyphase branches.
    s.inputPos = (s.inputPos == 0 ? kInputHistory : s.inputPos) - 1;
    s.inputHistory[s.inputPos] = x * drive;
    s.inputHistory[s.inputPos + kInputHistory] = x * drive;
    const float* in = s.inputHistory.data() + s.inputPos;
    for (uint32_t p = 0; p < kOversampling; ++p) {
        const float* c = upPhases_[p].data();
        float u = 0.0f;
        for (uint32_t j = 0; j < kInputHistory; ++j) {
            u += c[j] * in[j];
        }
        float shaped = 0.0f;
        for (int t = 0; t < 3; ++t) {
            if (weights[t] != 0.0f) {
                shaped += weights[t] * shape(t, u);
            }
        }
        s.shapedPos = (s.shapedPos == 0 ? kShapedHistory : s.shapedPos) - 1;
        s.shapedHistory[s.shapedPos] = shaped;
        s.shapedHistory[s.shapedPos + kShapedHistory] = shaped;
    }
    // Decimate at the first of the kOversampling new samples, so the total delay of both
    // filters is a whole number of stream samples (kTapsPerPhase).
    const float* v = s.shapedHistory.data() + s.shapedPos + (kOversampling - 1);
    float y = 0.0f;
    for (uint32_t k = 0; k < kFilterLength; ++k) {
        y += prototype_[k] * v[k];
    }
    return y;
}

void DistortionEffect::process(AudioBlock block) noexcept {
    setTargets();
    const uint32_t frames = block.frameCount();
    const auto channels = std::min<uint32_t>(block.channelCount(), channels_.size());
    const auto fs = static_cast<float>(sampleRate_);
    for (uint32_t i = 0; i < frames; ++i) {
        const float drive = std::pow(10.0f, driveDb_.next() / 20.0f);
        const float output = std::pow(10.0f, outputDb_.next() / 20.0f);
        const float mix = mix_.next();
        const float toneA = std::exp(-2.0f * std::numbers::pi_v<float> * toneHz_.next() / fs);
        const std::array<float, 3> weights = {typeWeights_[0].next(), typeWeights_[1].next(),
                                              typeWeights_[2].next()};
        for (uint32_t c = 0; c < channels; ++c) {
            ChannelState& s = channels_[c];
            float* samples = block.channel(c);
            const float x = samples[i];
            float wet = processSample(s, x, drive, weights);
            // DC blocker, then the one-pole tone low-pass.
            const float blocked = wet - s.dcIn + dcCoefficient_ * s.dcOut;
            s.dcIn = wet;
            s.dcOut = blocked;
            s.tone = blocked + toneA * (s.tone - blocked);
            wet = s.tone * output;
            // The dry path waits as long as the filters do.
            const float dry = s.dryDelay[s.dryPos];
            s.dryDelay[s.dryPos] = x;
            s.dryPos = s.dryPos + 1 == s.dryDelay.size() ? 0 : s.dryPos + 1;
            samples[i] = (1.0f - mix) * dry + mix * wet;
        }
    }
}

void DistortionEffect::reset() noexcept {
    for (auto& s : channels_) {
        std::fill(s.inputHistory.begin(), s.inputHistory.end(), 0.0f);
        std::fill(s.shapedHistory.begin(), s.shapedHistory.end(), 0.0f);
        std::fill(s.dryDelay.begin(), s.dryDelay.end(), 0.0f);
        s.inputPos = s.shapedPos = s.dryPos = 0;
        s.dcIn = s.dcOut = s.tone = 0.0f;
    }
    driveDb_.reset(sampleRate_, kRampSeconds);
    toneHz_.reset(sampleRate_, kRampSeconds);
    outputDb_.reset(sampleRate_, kRampSeconds);
    mix_.reset(sampleRate_, kRampSeconds);
    for (auto& w : typeWeights_) {
        w.reset(sampleRate_, kRampSeconds);
    }
    setTargets();
    driveDb_.setCurrentAndTarget(driveDb_.target());
    toneHz_.setCurrentAndTarget(toneHz_.target());
    outputDb_.setCurrentAndTarget(outputDb_.target());
    mix_.setCurrentAndTarget(mix_.target());
    for (auto& w : typeWeights_) {
        w.setCurrentAndTarget(w.target());
    }
}

}  // namespace liverack::core
