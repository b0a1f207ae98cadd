#include "core/io/TestSignalGenerator.h"

#include <cmath>
#include <cstdio>

namespace liverack::core {
namespace {
constexpr double kTwoPi = 6.283185307179586;
}

TestSignalGenerator::TestSignalGenerator(Kind kind, double frequencyHz, float levelDb)
    : kind_(kind), frequencyHz_(frequencyHz), amplitude_(std::pow(10.0f, levelDb / 20.0f)) {}

std::string TestSignalGenerator::description() const {
    switch (kind_) {
        case Kind::Sine: {
            char text[64];
            std::snprintf(text, sizeof(text), "sine %g Hz", frequencyHz_);
            return text;
        }
        case Kind::WhiteNoise:
            return "white noise";
        case Kind::PinkNoise:
            return "pink noise";
        case Kind::Sweep:
            return "sweep 20 Hz to 20 kHz";
    }
    return "test signal";
}

void TestSignalGenerator::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
}

void TestSignalGenerator::reset() noexcept {
    phase_ = 0.0;
    sweepTime_ = 0.0;
    rngState_ = 0x9E3779B97F4A7C15ull;
    for (float& p : pink_) {
        p = 0.0f;
    }
}

float TestSignalGenerator::nextWhite() noexcept {
    // xorshift64*: fast, allocation-free, good enough for a test signal.
    rngState_ ^= rngState_ >> 12;
    rngState_ ^= rngState_ << 25;
    rngState_ ^= rngState_ >> 27;
    const uint64_t bits = rngState_ * 0x2545F4914F6CDD1Dull;
    const float uniform = static_cast<float>(bits >> 40) / 16777216.0f;  // [0, 1)
    return (2.0f * uniform - 1.0f) * 1.7320508f;  // uniform on ±√3 has unit RMS
}

float TestSignalGenerator::nextPink() noexcept {
    const float white = nextWhite();
    pink_[0] = 0.99886f * pink_[0] + white * 0.0555179f;
    pink_[1] = 0.99332f * pink_[1] + white * 0.0750759f;
    pink_[2] = 0.96900f * pink_[2] + white * 0.1538520f;
    pink_[3] = 0.86650f * pink_[3] + white * 0.3104856f;
    pink_[4] = 0.55000f * pink_[4] + white * 0.5329522f;
    pink_[5] = -0.7616f * pink_[5] - white * 0.0168980f;
    const float pink = pink_[0] + pink_[1] + pink_[2] + pink_[3] + pink_[4] + pink_[5] + pink_[6] +
                       white * 0.5362f;
    pink_[6] = white * 0.115926f;
    // The filter turns unit-RMS white noise into pink noise of RMS ≈ 3.06 (+9.7 dB, measured
    // over 10 s at 48 kHz): scale back to unit RMS so levelDb means the same for every signal.
    return pink * 0.3267f;
}

void TestSignalGenerator::process(AudioBlock block) noexcept {
    const uint32_t frames = block.frameCount();
    if (block.channelCount() == 0) {
        return;
    }
    float* first = block.channel(0);
    for (uint32_t i = 0; i < frames; ++i) {
        float x = 0.0f;
        switch (kind_) {
            case Kind::Sine:
                x = amplitude_ * static_cast<float>(std::sin(kTwoPi * phase_));
                phase_ += frequencyHz_ / sampleRate_;
                phase_ -= std::floor(phase_);
                break;
            case Kind::WhiteNoise:
                x = amplitude_ * nextWhite();
                break;
            case Kind::PinkNoise:
                x = amplitude_ * nextPink();
                break;
            case Kind::Sweep: {
                // Exponential sweep: the instantaneous frequency rises by a constant ratio per
                // second.
                const double k = std::log(kSweepHighHz / kSweepLowHz) / kSweepSeconds;
                const double hz = kSweepLowHz * std::exp(k * sweepTime_);
                x = amplitude_ * static_cast<float>(std::sin(kTwoPi * phase_));
                phase_ += hz / sampleRate_;
                phase_ -= std::floor(phase_);
                sweepTime_ += 1.0 / sampleRate_;
                if (sweepTime_ >= kSweepSeconds) {
                    sweepTime_ = 0.0;
                }
                break;
            }
        }
        first[i] = x;
    }
    for (uint32_t c = 1; c < block.channelCount(); ++c) {
        std::copy_n(first, frames, block.channel(c));
    }
}

}  // namespace liverack::core
