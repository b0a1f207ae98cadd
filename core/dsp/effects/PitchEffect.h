// Pitch shifter around Rubber Band's real-time stretcher (R3 engine, short window: R2 missed an
// octave by 11 cents): a pre-filled FIFO makes its bursty output a steady stream with a constant,
// reported latency.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/dsp/Effect.h"
#include "core/dsp/SmoothedValue.h"

namespace RubberBand {
class RubberBandStretcher;
}

namespace liverack::core {

class PitchEffect final : public Effect {
public:
    enum Param : size_t { kSemitones, kCents, kFormant, kMix };
    static constexpr double kRampSeconds = 0.02;
    // The shift range in semitones (±12 semitones ± 100 cents).
    static constexpr double kMaxShiftSemitones = 13.0;
    // When the latency moves (the shift changed), the dry path's delay glides to it at this many
    // samples per sample instead of jumping, so the mix does not click.
    static constexpr float kDryGlideSpeed = 0.25f;

    PitchEffect();
    ~PitchEffect() override;
    static const EffectInfo& staticInfo();

    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;
    // Exact for the shift in force at the last prepare()/reset(). Rubber Band's own delay
    // scales with 1/pitch ratio, so when the shift changes this follows its start delay; its
    // alignment also drifts by some tens of samples (under 1 ms) with ratio changes, which no
    // API reports.
    uint32_t latencyFrames() const noexcept override {
        return latency_.load(std::memory_order_relaxed);
    }

    // Blocks in which the stretcher had not produced enough output (zeros were played and the
    // stream realigned). The FIFO is sized so this stays 0; tests check it.
    uint64_t underrunCount() const noexcept { return underruns_.load(std::memory_order_relaxed); }
    // False when Rubber Band could not be set up; the effect then passes audio through.
    bool isReady() const noexcept { return stretcher_ != nullptr; }

private:
    using Capture = std::vector<float>;
    double targetPitchScale() const noexcept;
    void applyParameters() noexcept;
    // Setup only (may allocate): streams `frames` of `input` (nullptr: silence) through the
    // stretcher, dropping the start delay, and copies aligned output whose index falls in
    // [captureFrom, captureFrom + capture.size()) into `capture`.
    void stream(RubberBand::RubberBandStretcher& stretcher, const float* input, size_t frames,
                uint64_t& fed, uint64_t& produced, size_t& discard, Capture* capture,
                uint64_t captureFrom);
    void drainIntoFifo() noexcept;
    // Resets the stretcher at the current shift and re-establishes the alignment (audio thread
    // safe: Rubber Band's reset and a start pad of silence, no allocation).
    void restart() noexcept;
    uint32_t fifoFill() const noexcept { return fifoWrite_ - fifoRead_; }

    std::unique_ptr<RubberBand::RubberBandStretcher> stretcher_;
    double sampleRate_ = 48000.0;
    uint32_t channels_ = 0;
    uint32_t maxBlock_ = 0;
    uint32_t baseLatency_ = 0;  // the reported latency at the prepared shift
    size_t startDelayAtReset_ = 0;
    int64_t drift_ = 0;   // output n holds input n − drift after a restart (measured in prepare)
    size_t discard_ = 0;  // stretcher output still to drop after a restart (its start delay)
    uint64_t debt_ = 0;   // frames played as zeros in an underrun, dropped when output arrives
    double pitchScale_ = 1.0;
    bool formant_ = false;

    // Output FIFO (per channel, power-of-two ring; the indices wrap as unsigned counters).
    std::vector<std::vector<float>> fifo_;
    uint32_t fifoMask_ = 0;
    uint32_t fifoWrite_ = 0;
    uint32_t fifoRead_ = 0;
    // Dry signal delayed by the latency, for the mix.
    std::vector<std::vector<float>> dry_;
    uint32_t dryMask_ = 0;
    uint32_t dryWrite_ = 0;
    float dryDelay_ = 0.0f;  // current dry delay, gliding towards the latency
    std::vector<std::vector<float>> scratch_;
    std::vector<float*> scratchPointers_;
    std::vector<float> silence_;
    std::vector<const float*> silencePointers_;

    LinearSmoothedValue mix_{1.0f};
    std::atomic<uint32_t> latency_{0};
    std::atomic<uint64_t> underruns_{0};
};

}  // namespace liverack::core
