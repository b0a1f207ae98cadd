// The body of the audio callback, independent of RtAudio so benchmarks and the null device drive
// it directly: source or device input -> pre tap -> effect chain -> safety stage -> post tap ->
// output. On the audio thread it never allocates, locks, logs, does I/O or throws.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectChain.h"
#include "core/engine/EngineStats.h"
#include "core/engine/SafetyStage.h"
#include "core/engine/SampleTaps.h"
#include "core/io/InputSource.h"
#include "core/rt/ChainHandover.h"
#include "core/util/Result.h"

namespace liverack::core {

class EngineProcessor {
public:
    EngineProcessor();
    ~EngineProcessor();
    EngineProcessor(const EngineProcessor&) = delete;
    EngineProcessor& operator=(const EngineProcessor&) = delete;

    // Control thread, stream stopped. `source` nullptr means the device input. The current chain
    // (if any) is re-prepared for the new spec.
    void prepare(const ProcessSpec& spec, std::unique_ptr<InputSource> source);
    const ProcessSpec& spec() const noexcept { return spec_; }
    InputSource* source() noexcept { return source_.get(); }

    // Audio thread. input may be null (no input device); output may be null (no output device).
    // The effects get an empty reference.
    void process(const float* const* input, uint32_t inputChannels, float* const* output,
                 uint32_t outputChannels, uint32_t frames, bool xrun) noexcept;
    // The same, with the far-end signal of this very cycle (what the speakers play: the echo
    // canceller's reference), handed to every effect before it processes. reference may be null
    // (none: the effects get an empty block); fewer reference than processing channels repeat
    // the last, as the input does.
    void process(const float* const* input, uint32_t inputChannels, const float* const* reference,
                 uint32_t referenceChannels, float* const* output, uint32_t outputChannels,
                 uint32_t frames, bool xrun) noexcept;

    // Control thread: prepares the chain for the current spec and hands it to the audio thread;
    // the switch fades out and in. Before the stream runs, it takes effect at once.
    Status setChain(std::unique_ptr<EffectChain> chain);
    // Control thread, once the device no longer calls process(): installs the newest submitted
    // chain at once, and chains set while stopped take effect directly instead of queueing.
    void streamStopped();
    // Control thread: frees chains the audio thread has retired. Call regularly (~10 Hz).
    size_t collectGarbage() { return handover_.collectRetired(); }
    // Latency of the chain the audio thread is running now.
    uint32_t chainLatencyFrames() const noexcept {
        return chainLatency_.load(std::memory_order_relaxed);
    }

    // Fades: the stream starts silent and fades in (over `seconds`: a restored session rises
    // gently); stopping fades out first.
    void requestFadeIn(double seconds = SafetyStage::kFadeInSeconds) noexcept {
        fadeInSeconds_.store(seconds, std::memory_order_relaxed);
        fadeOutRequested_.store(false, std::memory_order_release);
        fadeInRequested_.store(true, std::memory_order_release);
    }
    void requestFadeOut() noexcept { fadeOutRequested_.store(true, std::memory_order_release); }
    bool isFadedOut() const noexcept { return fadedOut_.load(std::memory_order_acquire); }

    EngineStats& stats() noexcept { return stats_; }
    const EngineStats& stats() const noexcept { return stats_; }

    // The copies of the signal before the chain and after the safety stage (analysis, recording).
    SampleTaps& taps() noexcept { return taps_; }
    const SampleTaps& taps() const noexcept { return taps_; }

private:
    void processBlock(const float* const* input, uint32_t inputChannels,
                      const float* const* reference, uint32_t referenceChannels,
                      float* const* output, uint32_t outputChannels, uint32_t offset,
                      uint32_t frames) noexcept;
    void takePendingChain() noexcept;
    // Control thread, nothing streaming: makes the newest submitted chain the current one.
    void installNewestChain();

    ProcessSpec spec_{};
    AudioBuffer work_;
    // The reference copied per block: the effects get the processing channel count and the
    // block's frames whatever the device delivers, and never a view of a device's read-only buffer.
    AudioBuffer reference_;
    std::unique_ptr<InputSource> source_;
    EffectChain* chain_ = nullptr;     // owned; swapped only on the audio thread while streaming
    EffectChain* incoming_ = nullptr;  // taken from the hand-over, waiting for the fade-out
    ChainHandover handover_;
    SafetyStage safety_;
    EngineStats stats_;
    SampleTaps taps_;
    std::atomic<double> fadeInSeconds_{SafetyStage::kFadeInSeconds};
    static_assert(std::atomic<double>::is_always_lock_free);
    std::atomic<bool> fadeInRequested_{false};
    std::atomic<bool> fadeOutRequested_{false};
    std::atomic<bool> fadedOut_{true};
    std::atomic<bool> streaming_{false};  // set by the first callback after prepare
    std::atomic<uint32_t> chainLatency_{0};
};

}  // namespace liverack::core
