#include "core/net/DriftController.h"

#include <algorithm>
#include <cmath>

namespace liverack::core {

void DriftController::reset(double targetSeconds, double levelSeconds) noexcept {
    target_ = targetSeconds;
    level_ = levelSeconds;
    integral_ = 0.0;
    correction_ = 0.0;
    drift_ = 0.0;
}

void DriftController::observe(double levelSeconds, double dtSeconds) noexcept {
    if (dtSeconds > 0.0 && std::isfinite(levelSeconds)) {
        level_ += (levelSeconds - level_) * (1.0 - std::exp(-dtSeconds / kLevelSmoothingSeconds));
    }
}

double DriftController::update(double levelSeconds, double dtSeconds) noexcept {
    if (!(dtSeconds > 0.0) || !std::isfinite(levelSeconds)) {
        return correction_;
    }
    observe(levelSeconds, dtSeconds);
    const double error = level_ - target_;
    const double proposed = kProportional * error + integral_ + kIntegral * error * dtSeconds;
    // Anti-windup: the integral only grows while the output is not pinned at its bound.
    if (std::abs(proposed) < kMaxCorrection || proposed * error < 0.0) {
        integral_ =
            std::clamp(integral_ + kIntegral * error * dtSeconds, -kMaxCorrection, kMaxCorrection);
    }
    correction_ = std::clamp(kProportional * error + integral_, -kMaxCorrection, kMaxCorrection);
    drift_ += (integral_ - drift_) * (1.0 - std::exp(-dtSeconds / kDriftSmoothingSeconds));
    return correction_;
}

}  // namespace liverack::core
