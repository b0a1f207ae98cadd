// Feed-forward compressor after Giannoulis, Massberg and Reiss (JAES 2012): stereo-linked level
// detection (peak or RMS), quadratic soft knee, attack/release smoothing of the gain reduction
// in the dB domain, makeup gain and a dry/wet mix for parallel compression.
#pragma once

#include <cstdint>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"

namespace liverack::core {

class CompressorEffect final : public Effect {
public:
    enum Param : size_t {
        kThresholdDb,
        kRatio,
        kKneeDb,
        kAttackMs,
        kReleaseMs,
        kMakeupDb,
        kDetector,
        kMix
    };
    enum Detector { kPeak, kRms };
    enum Output : size_t { kGainReductionOutput, kDetectorLevelOutput };
    static constexpr double kRampSeconds = 0.02;
    // Averaging time of the RMS detector (one-pole on the squared signal).
    static constexpr double kRmsSeconds = 0.01;
    // Levels below this are treated as silence (keeps log10 away from zero).
    static constexpr double kFloorDb = -200.0;

    CompressorEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

    // Gain reduction in dB (>= 0) the static curve asks for at an input level in dB.
    static double gainReductionDb(double levelDb, double thresholdDb, double ratio,
                                  double kneeDb) noexcept;

private:
    LinearSmoothedValue thresholdDb_;
    MultiplicativeSmoothedValue ratio_{4.0f};
    LinearSmoothedValue kneeDb_;
    LinearSmoothedValue makeupDb_;
    LinearSmoothedValue mix_;
    std::vector<double> meanSquare_;  // per channel, for the RMS detector
    double reductionDb_ = 0.0;        // smoothed gain reduction
    double detectorDb_ = kFloorDb;    // the last frame's detector level
    double sampleRate_ = 48000.0;
    double rmsCoefficient_ = 0.0;
};

}  // namespace liverack::core
