// An effect that tells a test what reference it was handed: it subtracts the reference from the
// block in place (the ideal echo canceller for an "echo" that is the far end itself, sample for
// sample and channel for channel), and counts and measures what it saw. Fed the same signal as
// input and reference, its output is exactly silent only if both arrive in the same block, at the
// same offset, on the same channels. Counters are atomics: a JACK test reads them while it runs.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>

#include "core/dsp/Effect.h"

namespace liverack::test {

class ReferenceProbe final : public core::Effect {
public:
    ReferenceProbe() : Effect(staticInfo()) {}
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info{"reference_probe", "Reference probe", {}};
        return info;
    }
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void reset() noexcept override {}

    void setReference(core::AudioBlock reference) noexcept override {
        reference_ = reference;
        references_.fetch_add(1, std::memory_order_relaxed);
        if (reference.channelCount() > 0) {
            withReference_.fetch_add(1, std::memory_order_relaxed);
        }
    }

    void process(core::AudioBlock block) noexcept override {
        // Each process() must follow its own setReference(): more calls to process than to
        // setReference means one block ran with the previous block's reference (or none).
        if (processes_.fetch_add(1, std::memory_order_relaxed) + 1 >
            references_.load(std::memory_order_relaxed)) {
            unannounced_.fetch_add(1, std::memory_order_relaxed);
        }
        float inputPeak = 0.0f;
        float referencePeak = 0.0f;
        float outputPeak = 0.0f;
        const bool usable =
            reference_.channelCount() > 0 && reference_.frameCount() == block.frameCount();
        for (uint32_t c = 0; c < block.channelCount(); ++c) {
            float* samples = block.channel(c);
            const float* far =
                usable ? reference_.channel(std::min(c, reference_.channelCount() - 1)) : nullptr;
            for (uint32_t i = 0; i < block.frameCount(); ++i) {
                inputPeak = std::max(inputPeak, std::abs(samples[i]));
                if (far != nullptr) {
                    referencePeak = std::max(referencePeak, std::abs(far[i]));
                    samples[i] -= far[i];
                }
                outputPeak = std::max(outputPeak, std::abs(samples[i]));
            }
        }
        raiseTo(inputPeak_, inputPeak);
        raiseTo(referencePeak_, referencePeak);
        raiseTo(outputPeak_, outputPeak);
    }

    // The last reference handed over (audio thread's view; read it only when nothing streams).
    core::AudioBlock lastReference() const noexcept { return reference_; }
    uint64_t references() const noexcept { return references_.load(); }
    uint64_t referencesWithChannels() const noexcept { return withReference_.load(); }
    uint64_t processes() const noexcept { return processes_.load(); }
    uint64_t unannounced() const noexcept { return unannounced_.load(); }
    // Largest magnitudes since the last clearPeaks(): of the block as it came in, of the
    // reference, and of the block after the subtraction.
    float inputPeak() const noexcept { return inputPeak_.load(); }
    float referencePeak() const noexcept { return referencePeak_.load(); }
    float outputPeak() const noexcept { return outputPeak_.load(); }
    void clearPeaks() noexcept {
        inputPeak_.store(0.0f);
        referencePeak_.store(0.0f);
        outputPeak_.store(0.0f);
    }

private:
    static void raiseTo(std::atomic<float>& peak, float value) noexcept {
        float seen = peak.load(std::memory_order_relaxed);
        while (value > seen && !peak.compare_exchange_weak(seen, value)) {
        }
    }

    core::AudioBlock reference_;
    std::atomic<uint64_t> references_{0};
    std::atomic<uint64_t> withReference_{0};
    std::atomic<uint64_t> processes_{0};
    std::atomic<uint64_t> unannounced_{0};
    std::atomic<float> inputPeak_{0.0f};
    std::atomic<float> referencePeak_{0.0f};
    std::atomic<float> outputPeak_{0.0f};
};

}  // namespace liverack::test
