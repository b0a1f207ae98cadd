// Swaps effect chains into the audio thread without locks (like chowdsp's UIToAudioPipeline):
// a control thread submits a prepared chain through one SPSC queue; the audio thread takes it and
// sends the chain it replaces back through a second queue, so every chain is deleted on a control
// thread. The audio thread never frees memory.
#pragma once

#include <memory>

#include <boost/lockfree/spsc_queue.hpp>

#include "core/dsp/EffectChain.h"

namespace liverack::core {

class ChainHandover {
public:
    static constexpr size_t kCapacity = 64;

    ChainHandover() = default;
    ~ChainHandover();
    ChainHandover(const ChainHandover&) = delete;
    ChainHandover& operator=(const ChainHandover&) = delete;

    // Control thread. The chain must already be prepared. Frees chains the audio thread has
    // retired first. False when too many swaps are already in flight (the chain is not taken).
    bool submit(std::unique_ptr<EffectChain> chain);
    // Control thread: deletes the chains the audio thread has sent back; returns how many.
    size_t collectRetired();

    // Audio thread: the newest submitted chain, or nullptr. The caller owns it until it retires it.
    // Only takes one when the retired queue has room, so retire() can never fail.
    EffectChain* takePending() noexcept;
    void retire(EffectChain* chain) noexcept;

private:
    boost::lockfree::spsc_queue<EffectChain*, boost::lockfree::capacity<kCapacity>> pending_;
    boost::lockfree::spsc_queue<EffectChain*, boost::lockfree::capacity<kCapacity>> retired_;
};

}  // namespace liverack::core
