// Waveshaping distortion (soft tanh, hard clip, asymmetric "tube") run at 8× the stream rate
// between polyphase Kaiser-windowed-sinc FIR interpolation and decimation filters, so the
// harmonics the shaper creates above the stream's Nyquist are removed instead of aliasing.
#pragma once

#include <array>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"

namespace liverack::core {

class DistortionEffect final : public Effect {
public:
    enum Param : size_t { kDriveDb, kToneHz, kType, kOutputDb, kMix };
    enum Type : int { kSoft, kHard, kTube };
    static constexpr double kRampSeconds = 0.02;
    static constexpr uint32_t kOversampling = 8;
    // Taps per polyphase branch; the prototype has kOversampling·kTapsPerPhase + 1 taps (odd and
    // symmetric), so up + down filtering delays by exactly kTapsPerPhase stream samples.
    static constexpr uint32_t kTapsPerPhase = 24;
    static constexpr uint32_t kFilterLength = kOversampling * kTapsPerPhase + 1;
    static constexpr uint32_t kLanes = 8;
    static constexpr uint32_t kPaddedLength = (kFilterLength + kLanes - 1) / kLanes * kLanes;
    static constexpr float kTubeBias = 0.3f;  // shifts tanh off centre: even harmonics

    DistortionEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;
    uint32_t latencyFrames() const noexcept override { return kTapsPerPhase; }

    // The static transfer curve of each type (after drive, before tone and output gain).
    static float shape(int type, float x) noexcept;

private:
    struct ChannelState {
        std::vector<float> inputHistory;  // newest first, stored twice for contiguous reads
        uint32_t inputPos = 0;
        std::vector<float> shapedHistory;  // oversampled, newest first, stored twice
        uint32_t shapedPos = 0;
        std::vector<float> dryDelay;  // aligns the dry signal with the filters' latency
        uint32_t dryPos = 0;
        float dcIn = 0.0f;
        float dcOut = 0.0f;
        float tone = 0.0f;
    };
    static constexpr uint32_t kInputHistory = kTapsPerPhase + 1;
    static constexpr uint32_t kShapedHistory = kPaddedLength + kOversampling;

    void setTargets() noexcept;
    float processSample(ChannelState& s, float x, float drive,
                        const std::array<float, 3>& weights) noexcept;

    double sampleRate_ = 48000.0;
    // upPhases_[j][p] = kOversampling · h[kOversampling·j + p] (zero beyond the prototype):
    // laid out so the kOversampling branches run side by side (one SIMD lane each).
    std::array<std::array<float, kOversampling>, kInputHistory> upPhases_{};
    // The prototype, zero-padded to a multiple of kLanes for the decimator's partial sums.
    std::array<float, kPaddedLength> prototype_{};
    std::vector<ChannelState> channels_;
    float dcCoefficient_ = 0.0f;
    LinearSmoothedValue driveDb_{12.0f};
    MultiplicativeSmoothedValue toneHz_{4000.0f};
    LinearSmoothedValue outputDb_{-6.0f};
    LinearSmoothedValue mix_{1.0f};
    std::array<LinearSmoothedValue, 3> typeWeights_{};
};

}  // namespace liverack::core
