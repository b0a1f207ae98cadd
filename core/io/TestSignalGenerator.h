// The built-in test signals: a sine, white noise, pink noise and a repeating logarithmic sweep.
// Lets LiveRack run, and be demonstrated, with no input device at all.
#pragma once

#include <cstdint>

#include "core/io/InputSource.h"

namespace liverack::core {

class TestSignalGenerator final : public InputSource {
public:
    enum class Kind { Sine, WhiteNoise, PinkNoise, Sweep };
    static constexpr float kDefaultLevelDb = -18.0f;
    static constexpr double kSweepLowHz = 20.0;
    static constexpr double kSweepHighHz = 20000.0;
    static constexpr double kSweepSeconds = 10.0;

    // frequencyHz is used by Sine only. levelDb is the sine's peak, or the noise's RMS.
    explicit TestSignalGenerator(Kind kind, double frequencyHz = 440.0,
                                 float levelDb = kDefaultLevelDb);

    std::string description() const override;
    void prepare(const ProcessSpec& spec) override;
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override;

    Kind kind() const noexcept { return kind_; }
    double frequencyHz() const noexcept { return frequencyHz_; }

private:
    float nextWhite() noexcept;  // uniform white noise with unit RMS
    float nextPink() noexcept;   // Paul Kellet's refined pink filter over white noise

    Kind kind_;
    double frequencyHz_;
    float amplitude_;
    double sampleRate_ = 48000.0;
    double phase_ = 0.0;      // cycles, for sine and sweep
    double sweepTime_ = 0.0;  // seconds into the current sweep
    uint64_t rngState_ = 0x9E3779B97F4A7C15ull;
    float pink_[7] = {};
};

}  // namespace liverack::core
