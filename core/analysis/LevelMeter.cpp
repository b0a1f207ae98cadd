// Level meter ballistics: see LevelMeter.h.
#include "core/analysis/LevelMeter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace liverack::core {

namespace {

constexpr float kMinusInfinity = -std::numeric_limits<float>::infinity();

float toDb(double linear) {
    return linear > 0.0 ? static_cast<float>(20.0 * std::log10(linear)) : kMinusInfinity;
}

}  // namespace

void LevelMeter::prepare(double sampleRate, uint32_t channels) {
    sampleRate_ = sampleRate > 0.0 ? sampleRate : 48000.0;
    segmentFrames_ = std::max<uint32_t>(
        1, static_cast<uint32_t>(std::lround(sampleRate_ * kWindowSeconds / kSegments)));
    channels_.assign(std::min(channels, kMaxMeterChannels), Channel{});
    reset();
}

void LevelMeter::reset() noexcept {
    for (auto& channel : channels_) {
        channel = Channel{};
    }
    fill_ = 0;
    newest_ = 0;
}

void LevelMeter::resetPeakHold() noexcept {
    for (auto& channel : channels_) {
        channel.holdPeak = 0.0f;
        channel.holdAge = 0;
    }
}

void LevelMeter::resetClips() noexcept {
    for (auto& channel : channels_) {
        channel.clips = 0;
    }
}

double LevelMeter::holdDbAt(const Channel& channel, uint64_t age) const noexcept {
    const double peakDb = toDb(channel.holdPeak);
    const double heldSeconds = double(age) / sampleRate_ - kHoldSeconds;
    return heldSeconds <= 0.0 ? peakDb : peakDb - kFallDbPerSecond * heldSeconds;
}

void LevelMeter::process(const float* const* channels, uint32_t frames) noexcept {
    uint32_t done = 0;
    while (done < frames) {
        const uint32_t count = std::min(frames - done, segmentFrames_ - fill_);
        for (uint32_t c = 0; c < channels_.size(); ++c) {
            Channel& channel = channels_[c];
            const float* x = channels[c] + done;
            double sum = 0.0;
            float peak = channel.peak;
            uint32_t position = channel.peakPosition;
            uint64_t clips = 0;
            for (uint32_t i = 0; i < count; ++i) {
                const float magnitude = std::fabs(x[i]);
                sum += double(x[i]) * x[i];
                if (magnitude > peak) {
                    peak = magnitude;
                    position = fill_ + i;
                }
                clips += magnitude >= 1.0f ? 1 : 0;
            }
            channel.sum += sum;
            channel.peak = peak;
            channel.peakPosition = position;
            channel.clips += clips;
        }
        fill_ += count;
        done += count;
        if (fill_ < segmentFrames_) {
            break;
        }
        // A whole segment: it replaces the oldest one, and its peak may restart the hold.
        newest_ = (newest_ + 1) % kSegments;
        for (auto& channel : channels_) {
            channel.segmentSums[newest_] = channel.sum;
            channel.segmentPeaks[newest_] = channel.peak;
            const uint64_t sincePeak = segmentFrames_ - 1 - channel.peakPosition;
            const uint64_t ageAtPeak = channel.holdAge + segmentFrames_ - sincePeak;
            if (channel.peak > 0.0f &&
                (channel.holdPeak == 0.0f || toDb(channel.peak) >= holdDbAt(channel, ageAtPeak))) {
                channel.holdPeak = channel.peak;
                channel.holdAge = sincePeak;
            } else {
                channel.holdAge += segmentFrames_;
            }
            channel.sum = 0.0;
            channel.peak = 0.0f;
            channel.peakPosition = 0;
        }
        fill_ = 0;
    }
}

ChannelLevel LevelMeter::level(uint32_t channel) const noexcept {
    ChannelLevel result{kMinusInfinity, kMinusInfinity, kMinusInfinity, 0};
    if (channel >= channels_.size()) {
        return result;
    }
    const Channel& state = channels_[channel];
    double sum = 0.0;
    float peak = 0.0f;
    for (uint32_t s = 0; s < kSegments; ++s) {
        sum += state.segmentSums[s];
        peak = std::max(peak, state.segmentPeaks[s]);
    }
    result.peakDb = toDb(peak);
    result.rmsDb = toDb(std::sqrt(sum / (double(segmentFrames_) * kSegments)));
    // The hold never reads below what the window shows now.
    const double held = holdDbAt(state, state.holdAge + fill_);
    result.peakHoldDb = std::max(static_cast<float>(held), result.peakDb);
    result.clipCount = state.clips;
    return result;
}

}  // namespace liverack::core
