// Holds a receive buffer at its target by steering the resampler that drains it: a PI controller
// on the buffer level (smoothed over half a second). The sender's clock and the audio device's
// never agree; the integral settles at exactly their difference, which is the drift reported. The
// correction is bounded (±1000 ppm, under 2 cents), so it never makes an audible pitch step.
#pragma once

namespace liverack::core {

class DriftController {
public:
    static constexpr double kMaxCorrection = 1000e-6;
    static constexpr double kLevelSmoothingSeconds = 0.5;
    // Critically damped (Ki = Kp²/4): settles in about 30 s, a 200 ppm drift moves the level by
    // under a millisecond on the way.
    static constexpr double kProportional = 0.4;  // per second
    static constexpr double kIntegral = kProportional * kProportional / 4.0;
    static constexpr double kDriftSmoothingSeconds = 10.0;

    // A new stream whose buffer starts at `levelSeconds`, to be held at `targetSeconds`.
    void reset(double targetSeconds, double levelSeconds) noexcept;
    void setTarget(double targetSeconds) noexcept { target_ = targetSeconds; }
    // The level now, `dtSeconds` after the previous update; returns the correction to apply:
    // the resampler's input/output ratio is its nominal one times (1 + correction).
    double update(double levelSeconds, double dtSeconds) noexcept;

    // Only follows the level (no correction).
    void observe(double levelSeconds, double dtSeconds) noexcept;
    // The level jumped (turns were dropped): the smoothing starts again from it; the integral,
    // which holds the drift, stays.
    void followLevel(double levelSeconds) noexcept { level_ = levelSeconds; }

    double correction() const noexcept { return correction_; }
    double integral() const noexcept { return integral_; }
    // The integral over the last ten seconds or so: a reading that does not wander with the
    // moment-to-moment jitter of a busy sender or receiver.
    double driftPpm() const noexcept { return drift_ * 1e6; }
    double smoothedLevel() const noexcept { return level_; }
    double target() const noexcept { return target_; }

private:
    double target_ = 0.0;
    double level_ = 0.0;
    double integral_ = 0.0;
    double correction_ = 0.0;
    double drift_ = 0.0;
};

}  // namespace liverack::core
