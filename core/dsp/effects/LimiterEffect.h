// Look-ahead peak limiter: no output sample ever exceeds the ceiling. The gain needed by each
// incoming sample is held over the look-ahead window (sliding minimum), released with a one-pole
// and averaged over the window, so the gain is already down when the peak leaves the delay line.
// A look-ahead change glides the delay by one frame every other frame (briefly 0.5x or 1.5x
// speed) instead of jumping, which keeps both the audio and the gain continuous.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"

namespace liverack::core {

class LimiterEffect final : public Effect {
public:
    enum Param : size_t { kCeilingDb, kReleaseMs, kLookaheadMs };
    enum Output : size_t { kGainReductionOutput };
    static constexpr double kMaxLookaheadSeconds = 0.010;
    static constexpr double kRampSeconds = 0.02;

    LimiterEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;
    // The look-ahead in use, in frames: the delay the limiter adds (after a change, it glides
    // to the new value within twice the difference in frames).
    uint32_t latencyFrames() const noexcept override {
        return latency_.load(std::memory_order_relaxed);
    }

    // The ceiling as a linear amplitude, exactly as the limiter applies it.
    static float ceilingGain(float ceilingDb) noexcept;

private:
    uint32_t lookaheadFrames() const noexcept;
    size_t slot(uint64_t position) const noexcept { return position & mask_; }

    std::vector<std::vector<float>> delay_;  // per channel ring of input samples
    std::vector<float> envelope_;            // ring of released gains, averaged over the window
    // Monotonic deque (ring) of (position, required gain) for the sliding minimum.
    std::vector<uint64_t> minPositions_;
    std::vector<float> minGains_;
    uint64_t minHead_ = 0;
    uint64_t minTail_ = 0;
    uint64_t mask_ = 0;
    uint64_t position_ = 0;     // frames seen, offset so window arithmetic never goes negative
    uint64_t windowStart_ = 0;  // first frame of the look-ahead window
    double boxSum_ = 0.0;       // sum of the released gains from windowStart_ to the last frame
    float released_ = 1.0f;
    float lastGain_ = 1.0f;   // the last frame's gain, reported as the gain reduction
    uint32_t lookahead_ = 0;  // in use; glides towards the parameter
    LinearSmoothedValue ceilingDb_;
    double sampleRate_ = 48000.0;
    std::atomic<uint32_t> latency_{0};
};

}  // namespace liverack::core
