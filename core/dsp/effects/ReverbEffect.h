// Freeverb-style reverb (Jezar's public-domain design): per channel 8 damped feedback combs in
// parallel and 4 allpasses in series, the right channel's delays spread by 23 samples; plus a
// pre-delay. Written here rather than taken from a library: no packaged reverb fits the Effect
// contract (allocation-free processing, our parameter smoothing).
#pragma once

#include <array>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"
#include "core/dsp/effects/InterpolatedDelayLine.h"

namespace liverack::core {

class ReverbEffect final : public Effect {
public:
    enum Param : size_t { kRoomSize, kDamping, kPredelayMs, kWidth, kMix };
    static constexpr double kRampSeconds = 0.02;
    // The pre-delay glides over 0.2 s: its read head then moves at most 1 sample per sample
    // (200 ms of change), a bend instead of a jump.
    static constexpr double kPredelayRampSeconds = 0.2;
    static constexpr float kMaxPredelayMs = 200.0f;
    static constexpr size_t kCombs = 8;
    static constexpr size_t kAllpasses = 4;
    // Freeverb's tunings, in samples at 44.1 kHz; scaled to the stream rate in prepare().
    static constexpr std::array<int, kCombs> kCombTuning = {1116, 1188, 1277, 1356,
                                                            1422, 1491, 1557, 1617};
    static constexpr std::array<int, kAllpasses> kAllpassTuning = {556, 441, 341, 225};
    static constexpr int kStereoSpread = 23;
    static constexpr float kInputGain = 0.015f;
    static constexpr float kWetScale = 3.0f;
    // Comb feedback = kRoomOffset + kRoomScale · room_size (0.7 … 0.98).
    static constexpr float kRoomScale = 0.28f;
    static constexpr float kRoomOffset = 0.7f;
    static constexpr float kDampScale = 0.4f;

    ReverbEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

    // Comb delay lengths in samples at a sample rate (channel 1 adds the stereo spread).
    static int combLength(size_t index, int channel, double sampleRate) noexcept;

private:
    struct Comb {
        std::vector<float> buffer;
        size_t pos = 0;
        float store = 0.0f;  // the damping low-pass's state
    };
    struct Allpass {
        std::vector<float> buffer;
        size_t pos = 0;
    };
    struct Tank {
        std::array<Comb, kCombs> combs;
        std::array<Allpass, kAllpasses> allpasses;
        float process(float input, float feedback, float damp) noexcept;
    };

    void setTargets() noexcept;

    double sampleRate_ = 48000.0;
    std::array<Tank, 2> tanks_;
    InterpolatedDelayLine predelay_;
    LinearSmoothedValue roomSize_{0.5f};
    LinearSmoothedValue damping_{0.5f};
    LinearSmoothedValue predelaySamples_{0.0f};
    LinearSmoothedValue width_{1.0f};
    LinearSmoothedValue mix_{0.25f};
};

}  // namespace liverack::core
