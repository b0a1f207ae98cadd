#include "core/dsp/effects/DistortionEffect.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "core/dsp/Float4.h"
#include "core/dsp/effects/Denormals.h"

namespace liverack::core {
namespace {

// The shaping loops are written with Float4 because GCC does not vectorise them itself
// (std::clamp's branches).

inline float clampTo(float x, float lo, float hi) noexcept {
    return std::clamp(x, lo, hi);
}
inline Float4 clampTo(Float4 x, float lo, float hi) noexcept {
#if defined(__SSE__)
    // maxps(a, b) is a > b ? a : b and minps(a, b) is a < b ? a : b, lane by lane: with the bound
    // first that is std::clamp exactly, NaN included. GCC 12 does not find these two instructions
    // for the ternary form below when the bounds are constants (it blends with four).
    return static_cast<Float4>(_mm_min_ps(_mm_set1_ps(hi), _mm_max_ps(_mm_set1_ps(lo), x)));
#else
    // Same as std::clamp lane by lane, NaN included (both comparisons false: x passes).
    const Float4 low = Float4{} + lo;
    const Float4 high = Float4{} + hi;
    x = low > x ? low : x;
    return high < x ? high : x;
#endif
}

// tanh to within 3e-7 (checked against std::tanh over ±20), as a clamped 13/6 rational function:
// the coefficients are Eigen's float tanh. Branch-free, so it runs on four lanes at once;
// std::tanh here cost more than both FIR filters together.
template <typename T>
inline T fastTanh(T x) noexcept {
    constexpr float kClamp = 7.90531110763549805f;
    x = clampTo(x, -kClamp, kClamp);
    const T x2 = x * x;
    T p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = p * x2 - 8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    T q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return x * p / q;
}

// The curves as types (not function pointers), so each loop below is compiled around its curve,
// for a float (shape()) or four lanes.
struct SoftCurve {
    template <typename T>
    T operator()(T x) const noexcept {
        return fastTanh(x);
    }
};
struct HardCurve {
    template <typename T>
    T operator()(T x) const noexcept {
        return clampTo(x, -1.0f, 1.0f);
    }
};
struct TubeCurve {
    template <typename T>
    T operator()(T x) const noexcept {
        return fastTanh(x + DistortionEffect::kTubeBias) - fastTanh(DistortionEffect::kTubeBias);
    }
};

// One half of the 8x signal holds 4 samples per stream frame, frame i's at 4i…4i + 3: one vector
// per frame, scaled by that frame's weight.
template <typename Curve>
void applyCurve(float* x, const float* weights, uint32_t frames, Curve curve) noexcept {
    for (uint32_t i = 0; i < frames; ++i) {
        storeFloat4(x + 4 * i, weights[i] * curve(loadFloat4(x + 4 * i)));
    }
}

template <typename Curve>
void addCurve(const float* x, float* sum, const float* weights, uint32_t frames,
              Curve curve) noexcept {
    for (uint32_t i = 0; i < frames; ++i) {
        storeFloat4(sum + 4 * i,
                    loadFloat4(sum + 4 * i) + weights[i] * curve(loadFloat4(x + 4 * i)));
    }
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
    Oversampler::designs();  // designs the filters once per program, here rather than in prepare()
}

void DistortionEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    channels_.assign(spec.channels, ChannelState{});
    for (auto& s : channels_) {
        s.dryDelay.assign(kLatencyFrames, 0.0f);
    }
    // DC blocker corner ≈ 5 Hz: removes the tube curve's offset, leaves the audio band alone.
    dcCoefficient_ = static_cast<float>(std::exp(-2.0 * std::numbers::pi * 5.0 / sampleRate_));
    reset();
}

float DistortionEffect::shape(int type, float x) noexcept {
    switch (type) {
        case kHard:
            return HardCurve{}(x);
        case kTube:
            return TubeCurve{}(x);
        default:
            return SoftCurve{}(x);
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

void DistortionEffect::advanceParameters(uint32_t frames, bool first) noexcept {
    const auto fs = static_cast<float>(sampleRate_);
    curveActive_.fill(false);
    const bool idle = !driveDb_.isSmoothing() && !outputDb_.isSmoothing() &&
                      !toneHz_.isSmoothing() && !mix_.isSmoothing() &&
                      std::none_of(typeWeights_.begin(), typeWeights_.end(),
                                   [](const auto& w) { return w.isSmoothing(); });
    if (idle) {
        // No ramp runs (most chunks): every frame gets the same values. (next() on an idle ramp
        // returns its target and changes nothing, so this is what the loop below gives.)
        if (first) {
            drive_ = std::pow(10.0f, driveDb_.target() / 20.0f);
            output_ = std::pow(10.0f, outputDb_.target() / 20.0f);
            toneA_ = std::exp(-2.0f * std::numbers::pi_v<float> * toneHz_.target() / fs);
        }
        std::fill_n(driveGain_.begin(), frames, drive_);
        std::fill_n(outputGain_.begin(), frames, output_);
        std::fill_n(toneCoefficient_.begin(), frames, toneA_);
        std::fill_n(mixAmount_.begin(), frames, mix_.target());
        for (size_t t = 0; t < 3; ++t) {
            const float w = typeWeights_[t].target();
            std::fill_n(weights_[t].begin(), frames, w);
            curveActive_[t] = w != 0.0f;
        }
        return;
    }
    for (uint32_t i = 0; i < frames; ++i) {
        // Gains and the tone coefficient are recomputed only while their ramps run.
        const bool fresh = first && i == 0;
        if (fresh || driveDb_.isSmoothing()) {
            drive_ = std::pow(10.0f, driveDb_.next() / 20.0f);
        }
        if (fresh || outputDb_.isSmoothing()) {
            output_ = std::pow(10.0f, outputDb_.next() / 20.0f);
        }
        if (fresh || toneHz_.isSmoothing()) {
            toneA_ = std::exp(-2.0f * std::numbers::pi_v<float> * toneHz_.next() / fs);
        }
        driveGain_[i] = drive_;
        outputGain_[i] = output_;
        toneCoefficient_[i] = toneA_;
        mixAmount_[i] = mix_.next();
        for (size_t t = 0; t < 3; ++t) {
            const float w = typeWeights_[t].next();
            weights_[t][i] = w;
            curveActive_[t] = curveActive_[t] || w != 0.0f;
        }
    }
}

void DistortionEffect::shapeHalf(float* samples, uint32_t frames) noexcept {
    const int active = curveActive_[kSoft] + curveActive_[kHard] + curveActive_[kTube];
    if (active <= 1) {
        // One curve (the rule outside a type change's crossfade): shaped in place.
        if (curveActive_[kHard]) {
            applyCurve(samples, weights_[kHard].data(), frames, HardCurve{});
        } else if (curveActive_[kTube]) {
            applyCurve(samples, weights_[kTube].data(), frames, TubeCurve{});
        } else {
            applyCurve(samples, weights_[kSoft].data(), frames, SoftCurve{});
        }
        return;
    }
    float* sum = shapedSum_.data();
    std::fill_n(sum, 4 * frames, 0.0f);
    if (curveActive_[kSoft]) {
        addCurve(samples, sum, weights_[kSoft].data(), frames, SoftCurve{});
    }
    if (curveActive_[kHard]) {
        addCurve(samples, sum, weights_[kHard].data(), frames, HardCurve{});
    }
    if (curveActive_[kTube]) {
        addCurve(samples, sum, weights_[kTube].data(), frames, TubeCurve{});
    }
    std::copy_n(sum, 4 * frames, samples);
}

template <uint32_t kCount>
void DistortionEffect::finish(ChannelState* states, float* const* samples,
                              uint32_t frames) noexcept {
    // The filter states live in locals: `samples` could alias the members, which would force a
    // store and reload on every step of these serial recurrences.
    std::array<float, kCount> dcIn;
    std::array<float, kCount> dcOut;
    std::array<float, kCount> tone;
    std::array<uint32_t, kCount> dryPos;
    for (uint32_t c = 0; c < kCount; ++c) {
        dcIn[c] = states[c].dcIn;
        dcOut[c] = states[c].dcOut;
        tone[c] = states[c].tone;
        dryPos[c] = states[c].dryPos;
    }
    for (uint32_t i = 0; i < frames; ++i) {
        const float mix = mixAmount_[i];
        for (uint32_t c = 0; c < kCount; ++c) {
            // DC blocker, then the one-pole tone low-pass.
            const float wet = states[c].wet[i];
            const float blocked = wet - dcIn[c] + dcCoefficient_ * dcOut[c];
            dcIn[c] = wet;
            dcOut[c] = flushDenormal(blocked);
            tone[c] = flushDenormal(blocked + toneCoefficient_[i] * (tone[c] - blocked));
            // The dry path waits as long as the filters do.
            float* dryDelay = states[c].dryDelay.data();
            const float dry = dryDelay[dryPos[c]];
            dryDelay[dryPos[c]] = samples[c][i];
            dryPos[c] = dryPos[c] + 1 == kLatencyFrames ? 0 : dryPos[c] + 1;
            samples[c][i] = (1.0f - mix) * dry + mix * (tone[c] * outputGain_[i]);
        }
    }
    for (uint32_t c = 0; c < kCount; ++c) {
        states[c].dcIn = dcIn[c];
        states[c].dcOut = dcOut[c];
        states[c].tone = tone[c];
        states[c].dryPos = dryPos[c];
    }
}

void DistortionEffect::process(AudioBlock block) noexcept {
    setTargets();
    const uint32_t frames = block.frameCount();
    const auto channels = std::min<uint32_t>(block.channelCount(), channels_.size());
    for (uint32_t start = 0; start < frames; start += kChunk) {
        const uint32_t n = std::min(kChunk, frames - start);
        advanceParameters(n, start == 0);
        for (uint32_t c = 0; c < channels; ++c) {
            ChannelState& s = channels_[c];
            const float* samples = block.channel(c) + start;
            for (uint32_t i = 0; i < n; ++i) {
                driven_[i] = samples[i] * driveGain_[i];
            }
            s.oversampler.upsample(driven_.data(), n);
            shapeHalf(s.oversampler.evenSamples(), n);
            shapeHalf(s.oversampler.oddSamples(), n);
            s.oversampler.downsample(n, s.wet.data());
        }
        // Two channels at a time, so the CPU overlaps their recurrences.
        uint32_t c = 0;
        for (; c + 2 <= channels; c += 2) {
            float* const pair[2] = {block.channel(c) + start, block.channel(c + 1) + start};
            finish<2>(&channels_[c], pair, n);
        }
        if (c < channels) {
            float* const single[1] = {block.channel(c) + start};
            finish<1>(&channels_[c], single, n);
        }
    }
}

void DistortionEffect::reset() noexcept {
    for (auto& s : channels_) {
        s.oversampler.reset();
        std::fill(s.dryDelay.begin(), s.dryDelay.end(), 0.0f);
        s.dryPos = 0;
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
