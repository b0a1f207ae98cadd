// How much faster a sender's clock runs than the audio device's, measured rather than inferred:
// a least-squares line through (device frames played, sender's RTP timestamp) at each packet's
// arrival, with an exponential memory of about a minute. Arrival jitter, a busy machine's late
// threads and the block-sized steps of the device counter are noise around that line, which a
// fit over thousands of packets averages away; the steering's integral (DriftController) instead
// moves with every disturbance of the buffer level.
#pragma once

#include <cstdint>

namespace liverack::core {

class ClockDriftEstimator {
public:
    static constexpr double kMemorySeconds = 60.0;
    static constexpr double kLeastSeconds = 5.0;  // before this much is seen, no reading

    // `deviceRate` and `senderRate` in Hz: the nominal rates of the two clocks.
    void reset(double deviceRate, double senderRate) noexcept;
    // One packet: the device's frame count when it arrived, the sender's extended timestamp.
    void add(double deviceFrames, double senderTimestamp) noexcept;
    bool hasReading() const noexcept;
    // Sender against device, parts per million (positive: the sender is fast); 0 without a
    // reading.
    double driftPpm() const noexcept;

private:
    void recenter() noexcept;

    double deviceRate_ = 48000.0;
    double senderRate_ = 48000.0;
    bool started_ = false;
    double originX_ = 0.0;  // sums are kept about this point, moved along as time passes
    double originY_ = 0.0;
    double lastX_ = 0.0;
    double span_ = 0.0;  // device frames covered
    double s0_ = 0.0, sx_ = 0.0, sy_ = 0.0, sxx_ = 0.0, sxy_ = 0.0;
};

}  // namespace liverack::core
