// Eight-band parametric equaliser: RBJ cookbook biquads (peak, shelves, pass filters up to
// 48 dB/oct as Butterworth cascades, band-pass, notch) with smoothed, click-free parameters.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/dsp/Biquad.h"
#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"

namespace liverack::core {

class EqEffect final : public Effect {
public:
    static constexpr int kBands = 8;
    // Parameters of band n (0-based) sit at n * kParamsPerBand + BandParam.
    enum BandParam : size_t { kType, kFrequencyHz, kGainDb, kQ, kSlopeDb, kParamsPerBand };
    // Order of the `bN.type` choices (presets store the names).
    enum class BandType { Off, Peak, LowShelf, HighShelf, LowPass, HighPass, BandPass, Notch };
    static constexpr int kMaxSections = 4;  // 48 dB/oct = four second-order sections
    static constexpr double kRampSeconds = 0.02;
    // While anything moves, coefficients are recomputed every this many frames, so even a
    // 1024-frame block sweeps smoothly instead of in one step per block.
    static constexpr uint32_t kUpdateFrames = 32;

    static constexpr size_t parameterIndex(int band, BandParam param) noexcept {
        return static_cast<size_t>(band) * kParamsPerBand + param;
    }

    EqEffect();
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

    // Q of section `index` of an order-(2 * sections) Butterworth filter.
    static double butterworthQ(int sections, int index) noexcept;

    // The settled response (dB at `hz`) that a band's parameters, or all eight together, ask for
    // at `sampleRate`, from the very coefficient design process() runs: for the EQ curve drawn
    // over the spectrum.
    static double bandResponseDb(const ParameterSet& parameters, int band, double sampleRate,
                                 double hz) noexcept;
    static double responseDb(const ParameterSet& parameters, double sampleRate, double hz) noexcept;

private:
    // What a band's filter is made of; a change of shape crossfades, a change of frequency, gain
    // or Q within a shape only recomputes coefficients.
    struct Shape {
        BandType type = BandType::Off;
        int sections = 0;
        friend bool operator==(const Shape&, const Shape&) = default;
    };
    struct Band {
        MultiplicativeSmoothedValue frequency{1000.0f};
        LinearSmoothedValue gainDb{0.0f};
        MultiplicativeSmoothedValue q{0.7071f};
        std::array<Shape, 2> shapes{};  // two filter sets, so a shape change can crossfade
        int active = 0;                 // the set being faded in (or fully in)
        int32_t fadeRemaining = 0;      // frames of crossfade from the other set left
    };

    Shape targetShape(int band) const noexcept;
    static Shape shapeOf(const ParameterSet& parameters, int band) noexcept;
    // The sections of a band of this shape; returns how many are used.
    static int design(const Shape& shape, double sampleRate, double frequencyHz, double gainDb,
                      double q, std::array<BiquadCoefficients, kMaxSections>& sections) noexcept;
    void setTargets(int band) noexcept;
    void updateCoefficients(int band, int set) noexcept;
    void processBand(int band, AudioBlock block, uint32_t start, uint32_t frames) noexcept;
    void runSet(int band, int set, uint32_t channel, float* samples, uint32_t frames) noexcept;
    Biquad& filter(uint32_t channel, int band, int set, int section) noexcept {
        return filters_[((channel * kBands + band) * 2 + set) * kMaxSections + section];
    }

    std::array<Band, kBands> bands_{};
    std::vector<Biquad> filters_;  // channel × band × set × section
    double sampleRate_ = 48000.0;
    uint32_t channels_ = 0;
    int32_t fadeFrames_ = 1;
    std::array<float, kUpdateFrames> scratch_{};
};

}  // namespace liverack::core
