// A parameter ramp, like juce::SmoothedValue: linear for dB, gain and mix; multiplicative for Hz
// and ms, so a sweep sounds even. Runs on the audio thread: no allocation, noexcept.
#pragma once

#include <cmath>
#include <cstdint>

namespace liverack::core {

enum class SmoothingKind { Linear, Multiplicative };

template <SmoothingKind Kind = SmoothingKind::Linear>
class SmoothedValue {
public:
    SmoothedValue() = default;
    explicit SmoothedValue(float initial) noexcept : current_(initial), target_(initial) {}

    // Sets the ramp length; keeps the current value.
    void reset(double sampleRate, double rampSeconds) noexcept {
        rampLength_ = static_cast<int32_t>(std::floor(sampleRate * rampSeconds));
        setCurrentAndTarget(target_);
    }

    void setCurrentAndTarget(float value) noexcept {
        current_ = target_ = value;
        countdown_ = 0;
    }

    void setTarget(float value) noexcept {
        if (value == target_) {
            return;
        }
        if (rampLength_ <= 0 || !canRampTo(value)) {
            setCurrentAndTarget(value);
            return;
        }
        target_ = value;
        countdown_ = rampLength_;
        if constexpr (Kind == SmoothingKind::Linear) {
            step_ = (static_cast<double>(target_) - current_) / countdown_;
        } else {
            step_ = std::exp(std::log(target_ / current_) / countdown_);
        }
    }

    float next() noexcept {
        if (countdown_ <= 0) {
            return target_;
        }
        --countdown_;
        if (countdown_ == 0) {
            current_ = target_;
        } else if constexpr (Kind == SmoothingKind::Linear) {
            current_ += step_;
        } else {
            current_ *= step_;
        }
        return static_cast<float>(current_);
    }

    // Advances n samples at once (for parameters read once per block).
    float skip(int32_t samples) noexcept {
        if (samples >= countdown_) {
            setCurrentAndTarget(target_);
            return target_;
        }
        countdown_ -= samples;
        if constexpr (Kind == SmoothingKind::Linear) {
            current_ += step_ * samples;
        } else {
            current_ *= std::pow(step_, samples);
        }
        return static_cast<float>(current_);
    }

    bool isSmoothing() const noexcept { return countdown_ > 0; }
    float current() const noexcept { return static_cast<float>(current_); }
    float target() const noexcept { return target_; }
    int32_t rampLength() const noexcept { return rampLength_; }

private:
    bool canRampTo(float value) const noexcept {
        if constexpr (Kind == SmoothingKind::Multiplicative) {
            return value > 0.0f && current_ > 0.0f;  // multiplicative ramps never cross zero
        }
        return true;
    }

    // Double so a long ramp at 192 kHz ends where it should, not where rounding drifted to.
    double current_ = 0.0;
    float target_ = 0.0f;
    double step_ = 0.0;
    int32_t countdown_ = 0;
    int32_t rampLength_ = 0;
};

using LinearSmoothedValue = SmoothedValue<SmoothingKind::Linear>;
using MultiplicativeSmoothedValue = SmoothedValue<SmoothingKind::Multiplicative>;

}  // namespace liverack::core
