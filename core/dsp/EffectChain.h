// An ordered list of effect slots processed in place. A chain is immutable in structure once
// handed to the audio thread; edits build a new chain (sharing the unchanged slots) that replaces
// it through the ChainHandover.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/dsp/EffectSlot.h"

namespace liverack::core {

class EffectChain {
public:
    static constexpr size_t kMaxLength = 64;

    EffectChain() = default;
    explicit EffectChain(std::vector<std::shared_ptr<EffectSlot>> slots);

    void prepare(const ProcessSpec& spec);
    // `reference`: the far-end signal every slot's effect gets before it processes (see
    // Effect::setReference); empty (no channels) when the stream has none. A reference whose
    // frame count differs from the block's is handed over as empty.
    void process(AudioBlock block, AudioBlock reference = {}) noexcept;
    void reset() noexcept;
    uint32_t latencyFrames() const noexcept;
    // The latency of the slots that have not processed audio yet (new in this chain): their
    // output starts that much after their input does.
    uint32_t unplayedLatencyFrames() const noexcept;

    size_t size() const noexcept { return slots_.size(); }
    const std::vector<std::shared_ptr<EffectSlot>>& slots() const noexcept { return slots_; }

private:
    std::vector<std::shared_ptr<EffectSlot>> slots_;
};

}  // namespace liverack::core
