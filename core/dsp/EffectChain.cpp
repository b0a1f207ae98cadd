#include "core/dsp/EffectChain.h"

namespace liverack::core {

EffectChain::EffectChain(std::vector<std::shared_ptr<EffectSlot>> slots)
    : slots_(std::move(slots)) {}

void EffectChain::prepare(const ProcessSpec& spec) {
    for (auto& slot : slots_) {
        slot->prepare(spec);
    }
}

void EffectChain::process(AudioBlock block, AudioBlock reference) noexcept {
    // Effects index the reference by the block's frames: a shorter one would be read past its end.
    if (reference.frameCount() != block.frameCount()) {
        reference = AudioBlock{};
    }
    for (auto& slot : slots_) {
        slot->process(block, reference);
    }
}

void EffectChain::reset() noexcept {
    for (auto& slot : slots_) {
        slot->reset();
    }
}

uint32_t EffectChain::unplayedLatencyFrames() const noexcept {
    uint32_t total = 0;
    for (const auto& slot : slots_) {
        if (!slot->hasPlayed()) {
            total += slot->latencyFrames();
        }
    }
    return total;
}

uint32_t EffectChain::latencyFrames() const noexcept {
    uint32_t total = 0;
    for (const auto& slot : slots_) {
        total += slot->latencyFrames();
    }
    return total;
}

}  // namespace liverack::core
