// An effect that overruns its cycle on request: each of the next `cycles` process() calls spins
// (no sleep, no lock) until `micros` have passed on the steady clock, then says how many it has
// done. The audio passes untouched. For tests of what the engine reports about late cycles.
#pragma once

#include <atomic>
#include <chrono>

#include "core/dsp/Effect.h"

namespace liverack::test {

class CycleStall final : public core::Effect {
public:
    CycleStall() : Effect(staticInfo()) {}
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info{"stall", "Cycle stall", {}};
        return info;
    }
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock) noexcept override {
        if (pending_.load(std::memory_order_acquire) == 0) {
            return;
        }
        const auto until = std::chrono::steady_clock::now() +
                           std::chrono::microseconds(micros_.load(std::memory_order_relaxed));
        while (std::chrono::steady_clock::now() < until) {  // bounded by `micros`
        }
        pending_.fetch_sub(1, std::memory_order_acq_rel);
        done_.fetch_add(1, std::memory_order_release);
    }
    void reset() noexcept override {}

    // Off the audio thread.
    void stall(unsigned cycles, unsigned micros) {
        micros_.store(micros, std::memory_order_relaxed);
        pending_.store(cycles, std::memory_order_release);
    }
    unsigned stalled() const noexcept { return done_.load(std::memory_order_acquire); }

private:
    std::atomic<unsigned> micros_{0};
    std::atomic<unsigned> pending_{0};
    std::atomic<unsigned> done_{0};
};

}  // namespace liverack::test
