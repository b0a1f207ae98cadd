// Per-channel sample peak and RMS over the last 300 ms, a peak hold (2 s, then 20 dB/s down) and
// a latched clip count. Usable offline and on the analysis thread; process() does not allocate.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/analysis/AnalysisSnapshots.h"

namespace liverack::core {

class LevelMeter {
public:
    static constexpr double kWindowSeconds = 0.3;
    static constexpr double kHoldSeconds = 2.0;
    static constexpr double kFallDbPerSecond = 20.0;

    // Allocates; channels beyond kMaxMeterChannels are ignored.
    void prepare(double sampleRate, uint32_t channels);
    void process(const float* const* channels, uint32_t frames) noexcept;
    void reset() noexcept;  // levels, hold and clips
    void resetPeakHold() noexcept;
    void resetClips() noexcept;

    uint32_t channelCount() const noexcept { return static_cast<uint32_t>(channels_.size()); }
    ChannelLevel level(uint32_t channel) const noexcept;

private:
    // The window is kSegments whole segments of 10 ms, so the sums never drift and the peak over
    // the window is exact without a per-sample history.
    static constexpr uint32_t kSegments = 30;

    struct Channel {
        std::array<double, kSegments> segmentSums{};
        std::array<float, kSegments> segmentPeaks{};
        double sum = 0.0;  // of the segment being filled
        float peak = 0.0f;
        uint32_t peakPosition = 0;
        float holdPeak = 0.0f;  // linear
        uint64_t holdAge = 0;   // samples since holdPeak happened (at the last whole segment)
        uint64_t clips = 0;
    };

    double holdDbAt(const Channel& channel, uint64_t age) const noexcept;

    std::vector<Channel> channels_;
    double sampleRate_ = 48000.0;
    uint32_t segmentFrames_ = 480;
    uint32_t fill_ = 0;    // frames in the segment being filled
    uint32_t newest_ = 0;  // index of the newest whole segment
};

}  // namespace liverack::core
