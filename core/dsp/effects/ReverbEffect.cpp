#include "core/dsp/effects/ReverbEffect.h"

#include <algorithm>
#include <cmath>

#include "core/dsp/effects/Denormals.h"

namespace liverack::core {

const EffectInfo& ReverbEffect::staticInfo() {
    static const EffectInfo info{
        "reverb",
        "Reverb",
        {
            ParameterInfo::continuous("room_size", "Room size", "", 0.0f, 1.0f, 0.5f),
            ParameterInfo::continuous("damping", "Damping", "", 0.0f, 1.0f, 0.5f),
            ParameterInfo::continuous("predelay_ms", "Pre-delay", "ms", 0.0f, kMaxPredelayMs,
                                      10.0f),
            ParameterInfo::continuous("width", "Width", "", 0.0f, 1.0f, 1.0f),
            ParameterInfo::continuous("mix", "Mix", "", 0.0f, 1.0f, 0.25f),
        }};
    return info;
}

ReverbEffect::ReverbEffect() : Effect(staticInfo()) {}

int ReverbEffect::combLength(size_t index, int channel, double sampleRate) noexcept {
    const int tuning = kCombTuning[index] + (channel == 1 ? kStereoSpread : 0);
    return std::max(1, static_cast<int>(std::lround(tuning * sampleRate / 44100.0)));
}

void ReverbEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    for (int c = 0; c < 2; ++c) {
        for (size_t i = 0; i < kCombs; ++i) {
            tanks_[c].combs[i].buffer.assign(combLength(i, c, sampleRate_), 0.0f);
        }
        for (size_t i = 0; i < kAllpasses; ++i) {
            const int tuning = kAllpassTuning[i] + (c == 1 ? kStereoSpread : 0);
            tanks_[c].allpasses[i].buffer.assign(
                std::max(1, static_cast<int>(std::lround(tuning * sampleRate_ / 44100.0))), 0.0f);
        }
    }
    predelay_.prepare(static_cast<uint32_t>(std::ceil(kMaxPredelayMs * 0.001 * sampleRate_)) + 2);
    reset();
}

float ReverbEffect::Tank::process(float input, float feedback, float damp) noexcept {
    float out = 0.0f;
    for (auto& comb : combs) {
        const float y = comb.buffer[comb.pos];
        comb.store = flushDenormal(y * (1.0f - damp) + comb.store * damp);
        comb.buffer[comb.pos] = input + comb.store * feedback;
        comb.pos = comb.pos + 1 == comb.buffer.size() ? 0 : comb.pos + 1;
        out += y;
    }
    for (auto& ap : allpasses) {
        // Freeverb's allpass approximation (feedback 0.5).
        const float buffered = ap.buffer[ap.pos];
        ap.buffer[ap.pos] = flushDenormal(out + buffered * 0.5f);
        ap.pos = ap.pos + 1 == ap.buffer.size() ? 0 : ap.pos + 1;
        out = buffered - out;
    }
    return out;
}

void ReverbEffect::setTargets() noexcept {
    const auto& p = parameters();
    roomSize_.setTarget(p.get(kRoomSize));
    damping_.setTarget(p.get(kDamping));
    predelaySamples_.setTarget(static_cast<float>(p.get(kPredelayMs) * 0.001 * sampleRate_));
    width_.setTarget(p.get(kWidth));
    mix_.setTarget(p.get(kMix));
}

void ReverbEffect::process(AudioBlock block) noexcept {
    setTargets();
    const uint32_t frames = block.frameCount();
    const uint32_t channels = std::min(block.channelCount(), 2u);
    if (channels == 0) {
        return;
    }
    float* left = block.channel(0);
    float* right = channels > 1 ? block.channel(1) : nullptr;
    for (uint32_t i = 0; i < frames; ++i) {
        const float feedback = kRoomOffset + kRoomScale * roomSize_.next();
        const float damp = kDampScale * damping_.next();
        const float width = width_.next();
        const float mix = mix_.next();
        const float xl = left[i];
        const float xr = right != nullptr ? right[i] : xl;
        // Write first, then read, so a pre-delay of d samples means exactly d (at least 1).
        predelay_.push((xl + xr) * kInputGain);
        const float input = predelay_.read(predelaySamples_.next());
        const float revL = tanks_[0].process(input, feedback, damp);
        const float revR = tanks_[1].process(input, feedback, damp);
        const float wet1 = kWetScale * (0.5f + 0.5f * width);
        const float wet2 = kWetScale * 0.5f * (1.0f - width);
        const float outL = revL * wet1 + revR * wet2;
        const float outR = revR * wet1 + revL * wet2;
        left[i] = (1.0f - mix) * xl + mix * outL;
        if (right != nullptr) {
            right[i] = (1.0f - mix) * xr + mix * outR;
        }
    }
}

void ReverbEffect::reset() noexcept {
    for (auto& tank : tanks_) {
        for (auto& comb : tank.combs) {
            std::fill(comb.buffer.begin(), comb.buffer.end(), 0.0f);
            comb.pos = 0;
            comb.store = 0.0f;
        }
        for (auto& ap : tank.allpasses) {
            std::fill(ap.buffer.begin(), ap.buffer.end(), 0.0f);
            ap.pos = 0;
        }
    }
    predelay_.reset();
    for (auto* s : {&roomSize_, &damping_, &width_, &mix_}) {
        s->reset(sampleRate_, kRampSeconds);
    }
    predelaySamples_.reset(sampleRate_, kPredelayRampSeconds);
    setTargets();
    for (auto* s : {&roomSize_, &damping_, &predelaySamples_, &width_, &mix_}) {
        s->setCurrentAndTarget(s->target());
    }
}

}  // namespace liverack::core
