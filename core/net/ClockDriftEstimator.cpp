#include "core/net/ClockDriftEstimator.h"

#include <cmath>

namespace liverack::core {

void ClockDriftEstimator::reset(double deviceRate, double senderRate) noexcept {
    *this = ClockDriftEstimator{};
    deviceRate_ = deviceRate;
    senderRate_ = senderRate;
}

void ClockDriftEstimator::add(double deviceFrames, double senderTimestamp) noexcept {
    if (!std::isfinite(deviceFrames) || !std::isfinite(senderTimestamp)) {
        return;
    }
    if (!started_) {
        started_ = true;
        originX_ = deviceFrames;
        originY_ = senderTimestamp;
        lastX_ = deviceFrames;
    }
    const double step = deviceFrames - lastX_;
    if (step < 0.0) {
        return;  // the device counter never goes back: a stale reading
    }
    lastX_ = deviceFrames;
    span_ += step;
    // Older points weigh less by e^(-age / memory), age in device seconds.
    const double keep = std::exp(-step / (kMemorySeconds * deviceRate_));
    s0_ *= keep;
    sx_ *= keep;
    sy_ *= keep;
    sxx_ *= keep;
    sxy_ *= keep;
    const double x = deviceFrames - originX_;
    const double y = senderTimestamp - originY_;
    s0_ += 1.0;
    sx_ += x;
    sy_ += y;
    sxx_ += x * x;
    sxy_ += x * y;
    if (std::abs(x) > 4.0 * kMemorySeconds * deviceRate_) {
        recenter();
    }
}

void ClockDriftEstimator::recenter() noexcept {
    // Moves the origin to the weighted mean, so the sums stay small and the fit keeps its digits
    // however long the stream runs.
    const double mx = sx_ / s0_;
    const double my = sy_ / s0_;
    sxx_ -= 2.0 * mx * sx_ - mx * mx * s0_;
    sxy_ -= mx * sy_ + my * sx_ - mx * my * s0_;
    sx_ = 0.0;
    sy_ = 0.0;
    originX_ += mx;
    originY_ += my;
}

bool ClockDriftEstimator::hasReading() const noexcept {
    return span_ >= kLeastSeconds * deviceRate_ && s0_ >= 2.0;
}

double ClockDriftEstimator::driftPpm() const noexcept {
    if (!hasReading()) {
        return 0.0;
    }
    const double denominator = s0_ * sxx_ - sx_ * sx_;
    if (!(denominator > 0.0)) {
        return 0.0;
    }
    const double slope = (s0_ * sxy_ - sx_ * sy_) / denominator;  // sender samples per frame
    return (slope * deviceRate_ / senderRate_ - 1.0) * 1e6;
}

}  // namespace liverack::core
