// How much faster a sender's clock runs than the audio device's, measured rather than inferred
// from the steering. At each packet's arrival: the device's frames played and the sender's RTP
// timestamp. Averaged per second of device time, their difference in seconds (how far the device
// lags the sender) runs as a straight line whose slope is the drift. Arrival jitter and the
// block-sized steps of the device counter average away within each second; a busy spell that
// delays packets for a moment is taken out by a running median over five seconds; a cycle the
// device skipped (an xrun: it falls behind the sender for good, by a block) is a step, left out
// of the line. The slope of a least-squares line through what is left, over the last minute, is
// the drift.
#pragma once

#include <array>
#include <cstddef>

namespace liverack::core {

class ClockDriftEstimator {
public:
    static constexpr size_t kSeconds = 60;  // the memory, in one-second points
    static constexpr size_t kLeastSeconds = 10;
    // A second whose step of the median-filtered lag is further than this from the typical one
    // is not drift (whatever the drift, the lag moves by about the same each second; a skipped
    // block moves it 1.3 ms or more at once). Taking out a step that was only noise costs nothing:
    // the typical step stands in for it.
    static constexpr double kStepSeconds = 0.001;

    // `deviceRate` and `senderRate` in Hz: the nominal rates of the two clocks.
    void reset(double deviceRate, double senderRate) noexcept;
    // One packet: the device's frame count when it arrived, the sender's extended timestamp.
    void add(double deviceFrames, double senderTimestamp) noexcept;
    bool hasReading() const noexcept { return points_ >= kLeastSeconds; }
    // Sender against device, parts per million (positive: the sender is fast); 0 without a
    // reading.
    double driftPpm() const noexcept;

private:
    void closeSecond() noexcept;

    double deviceRate_ = 48000.0;
    double senderRate_ = 48000.0;
    bool started_ = false;
    double secondStart_ = 0.0;  // device frames where this second's point began
    double lastX_ = 0.0;
    double count_ = 0.0, sumX_ = 0.0, sumLag_ = 0.0;
    // One point per second: mean device time (s) and mean lag (s), a ring of the latest.
    std::array<double, kSeconds + 1> time_{};
    std::array<double, kSeconds + 1> lag_{};
    size_t points_ = 0;
};

}  // namespace liverack::core
