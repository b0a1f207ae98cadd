// One place in the rack: an effect plus its bypass switch. Bypass crossfades between the
// processed and the dry signal so it never clicks; once fully bypassed the slot passes audio
// through bit-exact and costs nothing. Slots are shared between the running chain and the chain
// that replaces it, so reordering or adding effects keeps the other effects' state (tails).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/Effect.h"

namespace liverack::core {

class EffectSlot {
public:
    static constexpr double kBypassFadeSeconds = 0.02;

    explicit EffectSlot(std::unique_ptr<Effect> effect, bool bypassed = false);

    Effect& effect() noexcept { return *effect_; }
    const Effect& effect() const noexcept { return *effect_; }

    void setBypassed(bool bypassed) noexcept {
        bypassed_.store(bypassed, std::memory_order_relaxed);
    }
    bool isBypassed() const noexcept { return bypassed_.load(std::memory_order_relaxed); }

    // Prepares the effect unless it is already prepared for this very spec (a slot carried over
    // into a new chain is live on the audio thread and must not be re-prepared under it).
    void prepare(const ProcessSpec& spec);
    // `reference` (the far end, same frames as `block`, or empty) goes to the effect first, even
    // while the slot is bypassed: see process().
    void process(AudioBlock block, AudioBlock reference = {}) noexcept;
    void reset() noexcept;
    // The effect's latency while it is active; a fully bypassed slot adds none.
    uint32_t latencyFrames() const noexcept;
    // Whether process() has run since the slot was prepared or reset (audio thread).
    bool hasPlayed() const noexcept { return played_; }

private:
    std::unique_ptr<Effect> effect_;
    std::atomic<bool> bypassed_;
    // Audio-thread state.
    bool prepared_ = false;
    bool played_ = false;
    ProcessSpec spec_{};
    AudioBuffer dry_;
    float wetGain_ = 1.0f;  // 1 = effect fully in, 0 = fully bypassed
    float fadeStep_ = 1.0f;
};

}  // namespace liverack::core
