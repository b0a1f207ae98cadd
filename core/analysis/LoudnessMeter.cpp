// libebur128 wrapper: see LoudnessMeter.h.
#include "core/analysis/LoudnessMeter.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace liverack::core {

namespace {

constexpr float kMinusInfinity = -std::numeric_limits<float>::infinity();

// libebur128's relation between a block's mean-square energy and its loudness (BS.1770-4 eq. 2).
double loudnessToEnergy(double lufs) {
    return std::isfinite(lufs) ? std::pow(10.0, (lufs + 0.691) / 10.0) : 0.0;
}

float finiteOrMinusInfinity(int error, double value) {
    return error == EBUR128_SUCCESS && std::isfinite(value) ? static_cast<float>(value)
                                                            : kMinusInfinity;
}

}  // namespace

struct LoudnessMeter::State {
    ebur128_state* meter = nullptr;
    explicit State(ebur128_state* created) : meter(created) {}
    ~State() { ebur128_destroy(&meter); }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
};

LoudnessMeter::LoudnessMeter() = default;
LoudnessMeter::~LoudnessMeter() = default;

Status LoudnessMeter::prepare(double sampleRate, uint32_t channels, History history) {
    state_.reset();
    if (!(sampleRate >= 8000.0 && sampleRate <= 768000.0) || channels == 0 || channels > 64) {
        return Error{"loudness cannot be measured at " + std::to_string(sampleRate) + " Hz with " +
                     std::to_string(channels) + " channels"};
    }
    sampleRate_ = sampleRate;
    channels_ = channels;
    history_ = history;
    // True peak is measured by TruePeakMeter (see there why not by libebur128).
    int mode = EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA;
    if (history == History::Bounded) {
        mode |= EBUR128_MODE_HISTOGRAM;
    }
    ebur128_state* meter =
        ebur128_init(channels, static_cast<unsigned long>(std::lround(sampleRate)), mode);
    if (meter == nullptr) {
        return Error{"the loudness meter could not be created (out of memory?)"};
    }
    state_ = std::make_unique<State>(meter);
    if (channels == 1) {
        ebur128_set_channel(meter, 0, EBUR128_DUAL_MONO);
    }
    interleaved_.assign(size_t(kChunkFrames) * channels, 0.0f);
    if (auto status = truePeak_.prepare(sampleRate, channels); !status) {
        state_.reset();
        return status;
    }
    framesMeasured_ = 0;
    // libebur128's own block length (integer frames, rounded as it rounds).
    blockFrames_ = static_cast<uint32_t>((std::lround(sampleRate) + 5) / 10);
    framesIntoBlock_ = 0;
    blockEnergy_.fill(0.0);
    newestBlock_ = 0;
    blocksMeasured_ = 0;
    return {};
}

Status LoudnessMeter::reset() {
    if (state_ == nullptr) {
        return Error{"the loudness meter was never prepared"};
    }
    // libebur128 has no reset: a fresh state is the documented way to start over.
    return prepare(sampleRate_, channels_, history_);
}

void LoudnessMeter::process(const float* const* channels, uint32_t frames) {
    if (state_ == nullptr) {
        return;
    }
    truePeak_.process(channels, frames);
    uint32_t done = 0;
    while (done < frames) {
        // Chunks end at block boundaries, where the block's energy is read.
        const uint32_t count =
            std::min({frames - done, kChunkFrames, blockFrames_ - framesIntoBlock_});
        for (uint32_t c = 0; c < channels_; ++c) {
            const float* source = channels[c] + done;
            float* dest = interleaved_.data() + c;
            for (uint32_t i = 0; i < count; ++i) {
                dest[size_t(i) * channels_] = source[i];
            }
        }
        ebur128_add_frames_float(state_->meter, interleaved_.data(), count);
        done += count;
        framesIntoBlock_ += count;
        if (framesIntoBlock_ == blockFrames_) {
            framesIntoBlock_ = 0;
            double lufs = 0.0;
            const int error = ebur128_loudness_window(state_->meter, 100, &lufs);
            newestBlock_ = (newestBlock_ + 1) % kShortTermBlocks;
            blockEnergy_[newestBlock_] = error == EBUR128_SUCCESS ? loudnessToEnergy(lufs) : 0.0;
            blocksMeasured_ = std::min(blocksMeasured_ + 1, kShortTermBlocks);
        }
    }
    framesMeasured_ += frames;
}

float LoudnessMeter::loudnessOfLatestBlocks(uint32_t blocks) const {
    if (state_ == nullptr || blocksMeasured_ < blocks) {
        return kMinusInfinity;
    }
    // The mean energy of equal blocks is the energy of the window they make up.
    double sum = 0.0;
    for (uint32_t i = 0; i < blocks; ++i) {
        sum += blockEnergy_[(newestBlock_ + kShortTermBlocks - i) % kShortTermBlocks];
    }
    const double energy = sum / blocks;
    return energy > 0.0 ? static_cast<float>(10.0 * std::log10(energy) - 0.691) : kMinusInfinity;
}

float LoudnessMeter::momentaryLufs() const {
    return loudnessOfLatestBlocks(kMomentaryBlocks);
}

float LoudnessMeter::shortTermLufs() const {
    return loudnessOfLatestBlocks(kShortTermBlocks);
}

float LoudnessMeter::integratedLufs() const {
    double value = 0.0;
    if (state_ == nullptr) {
        return kMinusInfinity;
    }
    const int error = ebur128_loudness_global(state_->meter, &value);  // before reading value
    return finiteOrMinusInfinity(error, value);
}

float LoudnessMeter::loudnessRangeLu() const {
    double value = 0.0;
    // The range needs short-term values, which need 3 s of audio.
    if (state_ == nullptr || secondsMeasured() < 3.0) {
        return kMinusInfinity;
    }
    const int error = ebur128_loudness_range(state_->meter, &value);  // before reading value
    return finiteOrMinusInfinity(error, value);
}

float LoudnessMeter::truePeakDbtp() const {
    if (state_ == nullptr || framesMeasured_ == 0) {
        return kMinusInfinity;
    }
    double peak = 0.0;
    for (uint32_t c = 0; c < channels_; ++c) {
        peak = std::max(peak, truePeak_.peak(c));
    }
    return peak > 0.0 ? static_cast<float>(20.0 * std::log10(peak)) : kMinusInfinity;
}

}  // namespace liverack::core
