#include "core/net/ClockDriftEstimator.h"

#include <algorithm>
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
    if (started_ && deviceFrames < lastX_) {
        return;  // the device counter never goes back: a stale reading
    }
    if (!started_) {
        started_ = true;
        secondStart_ = deviceFrames;
    } else if (deviceFrames - secondStart_ >= deviceRate_) {
        closeSecond();
        secondStart_ = deviceFrames;
    }
    lastX_ = deviceFrames;
    count_ += 1.0;
    sumX_ += deviceFrames - secondStart_;
    sumLag_ += (deviceFrames - secondStart_) / deviceRate_ - senderTimestamp / senderRate_ +
               secondStart_ / deviceRate_;
}

void ClockDriftEstimator::closeSecond() noexcept {
    if (count_ > 0.0) {
        const size_t slot = points_ % time_.size();
        time_[slot] = (secondStart_ + sumX_ / count_) / deviceRate_;
        lag_[slot] = sumLag_ / count_;
        ++points_;
    }
    count_ = sumX_ = sumLag_ = 0.0;
}

double ClockDriftEstimator::driftPpm() const noexcept {
    if (!hasReading()) {
        return 0.0;
    }
    const size_t count = std::min(points_, time_.size());
    const size_t first = points_ - count;
    const auto at = [&](size_t i) { return (first + i) % time_.size(); };
    // The lag through a running median of five (three at the ends), then its steps summed where
    // they are drift and left out where they are not.
    const auto filtered = [&](size_t i) {
        const size_t lo = i >= 2 ? i - 2 : 0;
        const size_t hi = std::min(count - 1, i + 2);
        std::array<double, 5> window{};
        size_t n = 0;
        for (size_t k = lo; k <= hi; ++k) {
            window[n++] = lag_[at(k)];
        }
        std::nth_element(window.begin(), window.begin() + static_cast<std::ptrdiff_t>(n / 2),
                         window.begin() + static_cast<std::ptrdiff_t>(n));
        return window[n / 2];
    };
    std::array<double, kSeconds + 1> lag{};
    std::array<double, kSeconds + 1> step{};
    for (size_t i = 0; i < count; ++i) {
        lag[i] = filtered(i);
        step[i] = i > 0 ? lag[i] - lag[i - 1] : 0.0;
    }
    // The typical step is the drift's; one far from it is a skipped cycle (or a stall the median
    // could not hide), taken out of the line from there on.
    std::array<double, kSeconds + 1> sorted = step;
    std::nth_element(sorted.begin() + 1, sorted.begin() + static_cast<std::ptrdiff_t>(count / 2),
                     sorted.begin() + static_cast<std::ptrdiff_t>(count));
    const double typical = sorted[count / 2];
    // A skipped cycle in the middle of a second splits its step over that second and the next:
    // the neighbours of a step far from typical are taken out with it.
    std::array<bool, kSeconds + 1> odd{};
    for (size_t i = 1; i < count; ++i) {
        const double dt = time_[at(i)] - time_[at(i - 1)];
        odd[i] = std::abs(step[i] - typical) > kStepSeconds * std::max(1.0, dt);
    }
    double corrected = lag[0];
    double s0 = 0.0, st = 0.0, sl = 0.0, stt = 0.0, stl = 0.0;
    const double t0 = time_[at(0)];
    for (size_t i = 0; i < count; ++i) {
        if (i > 0) {
            const bool near = odd[i] || odd[i - 1] || (i + 1 < count && odd[i + 1]);
            corrected += near ? typical : step[i];
        }
        const double t = time_[at(i)] - t0;
        s0 += 1.0;
        st += t;
        sl += corrected;
        stt += t * t;
        stl += t * corrected;
    }
    const double denominator = s0 * stt - st * st;
    if (!(denominator > 0.0)) {
        return 0.0;
    }
    // The device falls behind a fast sender: the lag shrinks by the drift each second.
    return -(s0 * stl - st * sl) / denominator * 1e6;
}

}  // namespace liverack::core
