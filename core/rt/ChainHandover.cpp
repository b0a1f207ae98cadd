#include "core/rt/ChainHandover.h"

namespace liverack::core {

ChainHandover::~ChainHandover() {
    EffectChain* chain = nullptr;
    while (pending_.pop(chain)) {
        delete chain;
    }
    collectRetired();
}

bool ChainHandover::submit(std::unique_ptr<EffectChain> chain) {
    collectRetired();
    if (!pending_.push(chain.get())) {
        return false;
    }
    chain.release();  // now owned by the queue, then by the audio thread
    return true;
}

size_t ChainHandover::collectRetired() {
    size_t count = 0;
    EffectChain* chain = nullptr;
    while (retired_.pop(chain)) {
        delete chain;
        ++count;
    }
    return count;
}

EffectChain* ChainHandover::takePending() noexcept {
    // Several submissions may be queued; the newest wins and the skipped ones retire at once.
    EffectChain* newest = nullptr;
    EffectChain* chain = nullptr;
    while (retired_.write_available() >= 2 && pending_.pop(chain)) {
        if (newest != nullptr) {
            retired_.push(newest);
        }
        newest = chain;
    }
    return newest;
}

void ChainHandover::retire(EffectChain* chain) noexcept {
    if (chain != nullptr) {
        retired_.push(chain);  // room was checked in takePending()
    }
}

}  // namespace liverack::core
