// Automatic gain control for speech: webrtc-audio-processing's adaptive digital AGC (a level
// tracker steering a compressor and limiter, with voice activity detection so pauses are not
// pumped up) in 10 ms frames through VoiceFrameAdapter.
#pragma once

#include <cstdint>
#include <memory>

#include "core/dsp/Effect.h"
#include "core/dsp/effects/VoiceFrameAdapter.h"

namespace webrtc {
class AudioProcessing;
}

namespace liverack::core {

class AgcEffect final : public Effect {
public:
    enum Param : size_t { kTargetDbfs, kMaxGainDb, kLimiter };

    AgcEffect();
    ~AgcEffect() override;
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;
    uint32_t latencyFrames() const noexcept override { return latency_; }

    bool isReady() const noexcept { return apm_ != nullptr; }
    uint64_t underrunCount() const noexcept { return adapter_.underrunCount(); }

private:
    void processFrame(float* const* frame) noexcept;
    void applyParameters() noexcept;

    std::unique_ptr<webrtc::AudioProcessing> apm_;
    VoiceFrameAdapter adapter_;
    uint32_t latency_ = 0;
    // What the library was last given (-1: nothing yet).
    int targetDbfs_ = -1;
    int maxGainDb_ = -1;
    int limiter_ = -1;
};

}  // namespace liverack::core
