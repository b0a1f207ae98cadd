// Noise suppression for speech: webrtc-audio-processing's noise suppressor (Wiener filtering on
// a running noise estimate) and its 80 Hz high-pass, in 10 ms frames through VoiceFrameAdapter,
// with a dry/wet mix. The high-pass is part of it because rumble below a voice is noise too and
// the suppressor leaves it: on pink noise (whose octaves below 80 Hz carry a third of its power)
// the suppressor alone took 7 to 13 dB off, with the high-pass over 20.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"
#include "core/dsp/effects/VoiceFrameAdapter.h"

namespace webrtc {
class AudioProcessing;
}

namespace liverack::core {

class DenoiseEffect final : public Effect {
public:
    enum Param : size_t { kLevel, kMix };
    // The library's own four strengths, in its order.
    enum Level { kLow, kModerate, kHigh, kVeryHigh };
    static constexpr double kRampSeconds = 0.02;

    DenoiseEffect();
    ~DenoiseEffect() override;
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;
    uint32_t latencyFrames() const noexcept override { return latency_; }

    // False when the library or the resampler could not be set up; audio then passes through.
    bool isReady() const noexcept { return apm_ != nullptr; }
    uint64_t underrunCount() const noexcept { return adapter_.underrunCount(); }

private:
    void processFrame(float* const* frame) noexcept;
    void applyLevel() noexcept;

    std::unique_ptr<webrtc::AudioProcessing> apm_;
    VoiceFrameAdapter adapter_;
    uint32_t latency_ = 0;
    int level_ = -1;  // the level the library was last given
    // The input delayed by the latency, for the mix.
    std::vector<std::vector<float>> dry_;
    uint32_t dryMask_ = 0;
    uint32_t dryWrite_ = 0;
    LinearSmoothedValue mix_{1.0f};
    double sampleRate_ = 48000.0;
};

}  // namespace liverack::core
