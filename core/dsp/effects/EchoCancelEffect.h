// Acoustic echo cancellation: removes from the microphone signal the echo of the reference (the
// far end of a call, what the speakers play, handed over by setReference) with
// webrtc-audio-processing's AEC (adaptive filter plus non-linear suppressor, delay-agnostic and
// with the extended filter, so the echo path's delay is found by the library), in 10 ms frames
// through VoiceFrameAdapter. Without a reference it passes the audio through and says so.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/effects/VoiceFrameAdapter.h"

namespace webrtc {
class AudioProcessing;
}

namespace liverack::core {

class EchoCancelEffect final : public Effect {
public:
    enum Param : size_t { kSuppression, kDelayMs };
    // The library's three strengths of its residual echo suppressor, in its order.
    enum Suppression { kLow, kModerate, kHigh };
    enum Output : size_t { kReferenceOutput };
    static constexpr int kMaxDelayStepMs = 50;

    EchoCancelEffect();
    ~EchoCancelEffect() override;
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void setReference(AudioBlock reference) noexcept override { reference_ = reference; }
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;
    uint32_t latencyFrames() const noexcept override { return latency_; }

    bool isReady() const noexcept { return apm_ != nullptr; }
    uint64_t underrunCount() const noexcept { return adapter_.underrunCount(); }

private:
    void processFrame(float* const* frame, const float* reference) noexcept;
    void applyParameters() noexcept;
    // Writes the frame, delayed by libraryDelay_, into dryFrame_.
    void delayDry(float* const* frame) noexcept;

    std::unique_ptr<webrtc::AudioProcessing> apm_;
    VoiceFrameAdapter adapter_;
    uint32_t latency_ = 0;
    int suppression_ = -1;  // what the library was last given
    int delayMs_ = 0;       // the echo delay the library was last told
    AudioBlock reference_;  // valid from setReference() to the end of the next process()
    bool referencePresent_ = false;
    // 1 while frames go through the canceller, 0 while they pass untouched; moves across one
    // frame when the reference comes or goes, so the switch does not click.
    float wet_ = 0.0f;
    // The frame as it passes untouched: delayed as much as the library delays what it
    // processes, so the latency is the same with and without a reference.
    std::vector<std::vector<float>> dryFrame_;
    std::vector<std::vector<float>> dryHistory_;  // the last libraryDelay_ input samples
    uint32_t libraryDelay_ = 0;
    std::vector<float> referenceScratch_;  // where the library copies the reference back to
};

}  // namespace liverack::core
