// Automatic gain control for speech: steers a smoothed gain so that the speech's short-term
// loudness (EBU R128: K-weighted, 3 s) approaches the target, frozen while webrtc-audio-
// processing's voice activity detection hears no voice, then holds sample peaks to a ceiling.
// Works on 10 ms frames through VoiceFrameAdapter.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/dsp/Biquad.h"
#include "core/dsp/Effect.h"
#include "core/dsp/effects/VoiceFrameAdapter.h"

namespace webrtc {
class AudioProcessing;
}

namespace liverack::core {

class AgcEffect final : public Effect {
public:
    enum Param : size_t { kTargetDbfs, kMaxGainDb, kLimiter };

    // The limiter's ceiling: sample peaks never go above it (-1 dBFS, the EBU R128 maximum
    // true peak for distribution, which leaves the following stages a decibel of headroom).
    static constexpr float kCeilingDbfs = -1.0f;

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
    // The gain (dB) the loudness steering applies now, limiter not counted.
    float currentGainDb() const noexcept { return gainDb_; }

private:
    // Frames of speech the loudness is measured over: 3 s, EBU R128's short-term window.
    static constexpr uint32_t kWindowFrames = 300;
    // Whether the level moves like speech: the 100 ms blocks of the last 2 s.
    static constexpr uint32_t kFramesPerBlock = 10;
    static constexpr uint32_t kEvidenceBlocks = 20;

    void processFrame(float* const* frame) noexcept;
    // The K-weighted mean square of the frame, summed over channels as BS.1770 sums them.
    double frameEnergy(float* const* frame) noexcept;
    void steerGain(double energy, bool voice) noexcept;
    // Takes the frame's energy; whether the level over the last 2 s swings as speech does.
    bool levelMovesLikeSpeech(double energy) noexcept;
    void applyGain(float* const* frame, float fromGain, float toGain) noexcept;
    void limit(float* const* frame) noexcept;
    void clearMeasurement() noexcept;

    std::unique_ptr<webrtc::AudioProcessing> apm_;
    VoiceFrameAdapter adapter_;
    uint32_t latency_ = 0;
    float channelWeight_ = 1.0f;  // 2 for mono: measured as dual mono, like LoudnessMeter

    // K-weighting: BS.1770's high shelf and high-pass per channel, run on a copy of the frame.
    std::vector<std::array<Biquad, 2>> kWeighting_;
    std::vector<float> weighted_;

    // Energies of the latest voiced frames (a ring) and their count, up to kWindowFrames.
    std::array<double, kWindowFrames> speechEnergy_{};
    uint32_t newestFrame_ = 0;
    uint32_t framesMeasured_ = 0;
    uint32_t framesSinceVoice_ = 0;  // beyond the hold: not speaking

    // Mean energies of the latest 100 ms blocks (a ring), the block being summed, the verdict.
    std::array<double, kEvidenceBlocks> blockEnergy_{};
    uint32_t newestBlock_ = 0;
    uint32_t blocksFilled_ = 0;
    double blockSum_ = 0.0;
    uint32_t framesInBlock_ = 0;
    bool moving_ = false;

    // Parameters as read at the start of the block.
    float targetLufs_ = -18.0f;
    float maxGainDb_ = 30.0f;
    bool limiterOn_ = true;

    float gainDb_ = 0.0f;       // the steering's gain, reached at the end of the current frame
    float limiterGain_ = 1.0f;  // linear, at most 1
};

}  // namespace liverack::core
