// An effect that tells a test which thread runs the chain: its first process() call stores
// pthread_self() and then says it is known. Nothing else: the chain's audio passes untouched.
#pragma once

#include <pthread.h>

#include <atomic>

#include "core/dsp/Effect.h"

namespace liverack::test {

class AudioThreadProbe final : public core::Effect {
public:
    AudioThreadProbe(std::atomic<pthread_t>& thread, std::atomic<bool>& known)
        : Effect(staticInfo()), thread_(thread), known_(known) {}
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info{"probe", "Thread probe", {}};
        return info;
    }
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock) noexcept override {
        if (!known_.load(std::memory_order_relaxed)) {
            thread_.store(pthread_self());
            known_.store(true);
        }
    }
    void reset() noexcept override {}

private:
    std::atomic<pthread_t>& thread_;
    std::atomic<bool>& known_;
};

}  // namespace liverack::test
