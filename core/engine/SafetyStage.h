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

    struct Counts {
        uint64_t nonFinite = 0;
        uint64_t clipped = 0;
    };

    void prepare(const ProcessSpec& spec);
    Counts process(AudioBlock block) noexcept;

    // Starts silent: the first audio always fades in.
    void fadeIn() noexcept { target_ = 1.0f; }
    void fadeOut() noexcept { target_ = 0.0f; }
    void silence() noexcept { gain_ = target_ = 0.0f; }
    bool isSilent() const noexcept { return gain_ == 0.0f && target_ == 0.0f; }
    bool isFullyOpen() const noexcept { return gain_ == 1.0f && target_ == 1.0f; }

private:
    float gain_ = 0.0f;
    float target_ = 0.0f;
    float fadeInStep_ = 1.0f;
    float fadeOutStep_ = 1.0f;
};

}  // namespace liverack::core
