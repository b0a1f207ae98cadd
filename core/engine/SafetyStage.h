// The last thing before the device: replaces NaN/Inf with silence (counted), clamps to ±1
// (counted) and applies the start/stop/chain-swap fades, so nothing the chain does can blast
// or click the user's speakers.
#pragma once

#include <cstdint>

#include "core/dsp/AudioBlock.h"
#include "core/dsp/ProcessSpec.h"

namespace liverack::core {

class SafetyStage {
public:
    static constexpr double kFadeInSeconds = 0.03;
    static constexpr double kFadeOutSeconds = 0.02;
    // The longest fade-in asked for (a restored session rises gently over a second or two).
    static constexpr double kMaxFadeInSeconds = 10.0;

    struct Counts {
        uint64_t nonFinite = 0;
        uint64_t clipped = 0;
    };

    void prepare(const ProcessSpec& spec);
    Counts process(AudioBlock block) noexcept;

    // Starts silent: the first audio always fades in, over `seconds` (linear in gain; clamped to
    // kFadeInSeconds..kMaxFadeInSeconds so that no fade-in can click).
    // `holdFrames` of silence come first: the latency of effects that have not played yet, whose
    // first output starts abruptly that much later and would otherwise come after the fade.
    void fadeIn(double seconds = kFadeInSeconds, uint32_t holdFrames = 0) noexcept;
    void fadeOut() noexcept { target_ = 0.0; }
    void silence() noexcept { gain_ = target_ = 0.0; }
    bool isSilent() const noexcept { return gain_ == 0.0 && target_ == 0.0; }
    bool isFullyOpen() const noexcept { return gain_ == 1.0 && target_ == 1.0; }

private:
    // Double: a fade of several seconds adds hundreds of thousands of steps, and float sums
    // would drift by a tenth of a percent.
    double gain_ = 0.0;
    double target_ = 0.0;
    double sampleRate_ = 48000.0;
    double fadeInStep_ = 1.0;
    double fadeOutStep_ = 1.0;
    uint32_t holdFrames_ = 0;  // silence before the fade-in starts
};

}  // namespace liverack::core
