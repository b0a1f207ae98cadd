#include "core/dsp/effects/LimiterEffect.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace liverack::core {

const EffectInfo& LimiterEffect::staticInfo() {
    static const EffectInfo info{
        "limiter",
        "Limiter",
        {
            ParameterInfo::continuous("ceiling_db", "Ceiling", "dB", -24.0f, 0.0f, -1.0f),
            ParameterInfo::continuous("release_ms", "Release", "ms", 1.0f, 1000.0f, 50.0f,
                                      ParameterSkew::Logarithmic),
            ParameterInfo::continuous("lookahead_ms", "Look-ahead", "ms", 0.0f, 10.0f, 5.0f),
        },
        true,
        {ParameterInfo::continuous("gain_reduction_db", "Gain reduction", "dB", 0.0f, 60.0f,
                                   0.0f)}};
    return info;
}

LimiterEffect::LimiterEffect() : Effect(staticInfo()) {}

float LimiterEffect::ceilingGain(float ceilingDb) noexcept {
    return static_cast<float>(std::pow(10.0, static_cast<double>(ceilingDb) / 20.0));
}

uint32_t LimiterEffect::lookaheadFrames() const noexcept {
    const double frames = parameters().get(kLookaheadMs) * 1e-3 * sampleRate_;
    const double maxFrames = std::round(kMaxLookaheadSeconds * sampleRate_);
    return static_cast<uint32_t>(std::clamp(std::round(frames), 0.0, maxFrames));
}

void LimiterEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    const auto maxLookahead = static_cast<uint64_t>(std::round(kMaxLookaheadSeconds * sampleRate_));
    // The window spans up to maxLookahead + 1 frames.
    const uint64_t capacity = std::bit_ceil(maxLookahead + 2);
    mask_ = capacity - 1;
    delay_.assign(spec.channels, std::vector<float>(capacity, 0.0f));
    envelope_.assign(capacity, 1.0f);
    minPositions_.assign(capacity, 0);
    minGains_.assign(capacity, 1.0f);
    ceilingDb_.reset(sampleRate_, kRampSeconds);
    reset();
}

void LimiterEffect::process(AudioBlock block) noexcept {
    const auto& p = parameters();
    ceilingDb_.setTarget(p.get(kCeilingDb));
    const uint32_t wanted = lookaheadFrames();
    const float release = static_cast<float>(
        1.0 - std::exp(-1.0 / (std::max(p.get(kReleaseMs), 1.0f) * 1e-3 * sampleRate_)));
    const uint32_t channels = std::min(block.channelCount(), static_cast<uint32_t>(delay_.size()));
    float ceiling = ceilingGain(ceilingDb_.current());

    for (uint32_t i = 0; i < block.frameCount(); ++i) {
        const uint64_t n = position_++;
        if (ceilingDb_.isSmoothing()) {
            ceiling = ceilingGain(ceilingDb_.next());
        }
        // One frame of look-ahead more or less every other frame: the window's start never
        // moves backwards (so no gain it needs has been dropped) and the read point moves at
        // 0.5x to 1.5x speed, never jumps.
        if ((n & 1U) == 0 && lookahead_ < wanted) {
            ++lookahead_;
        } else if ((n & 1U) == 0 && lookahead_ > wanted) {
            --lookahead_;
        }
        const uint64_t start = n - lookahead_;

        float peak = 0.0f;
        for (uint32_t c = 0; c < channels; ++c) {
            const float x = block.channel(c)[i];
            delay_[c][slot(n)] = x;
            peak = std::max(peak, std::abs(x));
        }
        // Stereo-linked: the gain that brings the loudest channel to the ceiling.
        const float required = peak > ceiling ? ceiling / peak : 1.0f;

        // Sliding minimum over [start, n].
        while (minTail_ != minHead_ && minGains_[slot(minTail_ - 1)] >= required) {
            --minTail_;
        }
        minPositions_[slot(minTail_)] = n;
        minGains_[slot(minTail_)] = required;
        ++minTail_;
        while (minPositions_[slot(minHead_)] < start) {
            ++minHead_;
        }
        const float held = minGains_[slot(minHead_)];

        // Release: fall at once, recover with a one-pole. Never above the held gain, so the
        // average below stays at or under the gain every frame in the window needs, the frame
        // leaving the delay line (at `start`) included.
        released_ = held < released_ ? held : released_ + release * (held - released_);
        envelope_[slot(n)] = released_;
        for (; windowStart_ < start; ++windowStart_) {
            boxSum_ -= envelope_[slot(windowStart_)];
        }
        boxSum_ += released_;
        const auto gain = static_cast<float>(boxSum_ / static_cast<double>(n - start + 1));
        lastGain_ = gain;

        for (uint32_t c = 0; c < channels; ++c) {
            // Last resort for what the window cannot promise (float rounding of the average, a
            // ceiling that moved down since the frame was measured): a hard clamp.
            block.channel(c)[i] = std::clamp(delay_[c][slot(start)] * gain, -ceiling, ceiling);
        }
    }
    latency_.store(lookahead_, std::memory_order_relaxed);
    outputs().store(kGainReductionOutput, -20.0f * std::log10(std::clamp(lastGain_, 1e-6f, 1.0f)));
}

void LimiterEffect::reset() noexcept {
    ceilingDb_.setCurrentAndTarget(parameters().get(kCeilingDb));
    for (auto& line : delay_) {
        std::fill(line.begin(), line.end(), 0.0f);
    }
    std::fill(envelope_.begin(), envelope_.end(), 1.0f);
    position_ = mask_ + 1;
    minHead_ = minTail_ = 0;
    released_ = 1.0f;
    lastGain_ = 1.0f;
    outputs().store(kGainReductionOutput, 0.0f);
    lookahead_ = lookaheadFrames();
    // The window before the first frame holds unity gains (the envelope ring's initial value).
    windowStart_ = position_ - lookahead_;
    boxSum_ = static_cast<double>(lookahead_);
    latency_.store(lookahead_, std::memory_order_relaxed);
}

}  // namespace liverack::core
