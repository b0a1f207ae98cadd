// The drift controller against a simulated receive buffer: the level integrates the difference
// between the sender's clock (drift) and the correction the controller asks of the resampler,
// plus the ±5 ms sawtooth of packets landing every 20 ms. It must find the drift, hold the level,
// stay within its bound, glide rather than step, and not wind up when the drift is beyond reach.
#include "core/net/DriftController.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace liverack::core {
namespace {

constexpr double kDt = 0.001;
constexpr double kTarget = 0.040;
constexpr double kSawtoothSeconds = 0.005;  // ± around the mean level
constexpr double kPacketPeriod = 0.020;     // 50 Hz

// A packet lands (+5 ms) and the audio drains until the next one (down to −5 ms).
double sawtooth(double t) {
    const double phase = std::fmod(t, kPacketPeriod) / kPacketPeriod;
    return kSawtoothSeconds * (1.0 - 2.0 * phase);
}

struct Simulation {
    double maxAbsCorrection = 0.0;
    double maxCorrectionStep = 0.0;
    double maxLevelErrorAfter5s = 0.0;  // smoothed level − target
    double maxAbsIntegral = 0.0;
    double level = 0.0;  // the true mean level at the end
};

// `seconds` of a stream whose sender runs `driftPpm` fast; `each` sees the controller after
// every update with the time.
template <typename Each>
Simulation simulate(DriftController& controller, double driftPpm, double seconds, double startLevel,
                    Each each) {
    Simulation run;
    double level = startLevel;  // the true mean level, without the packet sawtooth
    double previous = controller.correction();
    const auto steps = static_cast<long>(std::lround(seconds / kDt));
    for (long i = 1; i <= steps; ++i) {
        const double t = static_cast<double>(i) * kDt;
        level += (driftPpm * 1e-6 - previous) * kDt;
        const double correction = controller.update(level + sawtooth(t), kDt);
        EXPECT_EQ(correction, controller.correction());
        run.maxAbsCorrection = std::max(run.maxAbsCorrection, std::abs(correction));
        run.maxCorrectionStep = std::max(run.maxCorrectionStep, std::abs(correction - previous));
        run.maxAbsIntegral = std::max(run.maxAbsIntegral, std::abs(controller.integral()));
        if (t > 5.0) {
            run.maxLevelErrorAfter5s =
                std::max(run.maxLevelErrorAfter5s,
                         std::abs(controller.smoothedLevel() - controller.target()));
        }
        previous = correction;
        each(t, controller);
    }
    run.level = level;
    return run;
}

class DriftControllerWithinBoundTest : public ::testing::TestWithParam<double> {};

TEST_P(DriftControllerWithinBoundTest, FindsTheDriftHoldsTheLevelAndGlides) {
    const double drift = GetParam();
    DriftController controller;
    controller.reset(kTarget, kTarget);
    const Simulation run = simulate(controller, drift, 60.0, kTarget, [](double, const auto&) {});

    EXPECT_NEAR(controller.driftPpm(), drift, 10.0);
    EXPECT_LT(run.maxLevelErrorAfter5s, 0.003);
    EXPECT_LE(run.maxAbsCorrection, DriftController::kMaxCorrection);
    // Each update moves the smoothed level by at most (sawtooth + error) × (1 − e^(−dt/τ)), about
    // 5 ms × 0.002, which Kp = 0.4 turns into 4 ppm: a glide of a few ppm per millisecond.
    EXPECT_LT(run.maxCorrectionStep, 5e-6)
        << "largest step " << run.maxCorrectionStep * 1e6 << " ppm";
    // Far under the bound: the correction had room all along.
    EXPECT_LT(run.maxAbsCorrection, 2.0 * std::abs(drift) * 1e-6 + 20e-6);
}

INSTANTIATE_TEST_SUITE_P(Drifts, DriftControllerWithinBoundTest, ::testing::Values(200.0, -150.0));

TEST(DriftControllerTest, DriftBeyondTheBoundPinsTheCorrectionWithoutIntegralWindUp) {
    DriftController controller;
    controller.reset(kTarget, kTarget);
    double integralAt10s = 0.0;
    bool pinnedFrom10s = true;
    const Simulation run =
        simulate(controller, 3000.0, 60.0, kTarget, [&](double t, const auto& c) {
            if (t >= 10.0) {
                if (integralAt10s == 0.0) {
                    integralAt10s = c.integral();
                }
                // While pinned and the error still grows, the integral must not move.
                EXPECT_EQ(c.integral(), integralAt10s) << "at " << t << " s";
                pinnedFrom10s = pinnedFrom10s && c.correction() == DriftController::kMaxCorrection;
            }
        });
    EXPECT_TRUE(pinnedFrom10s);
    EXPECT_EQ(run.maxAbsCorrection, DriftController::kMaxCorrection);
    EXPECT_LE(run.maxAbsIntegral, DriftController::kMaxCorrection);
    // The integral stopped growing as soon as the output pinned (error ≈ 2.5 ms, about a second
    // in): Ki × ∫error over that second is tens of ppm, nowhere near the bound.
    EXPECT_LT(std::abs(controller.integral() * 1e6), 200.0);
}

TEST(DriftControllerTest, AfterAPinnedSpellTheLevelComesBackWithoutALongOvershoot) {
    // 10 s at 3000 ppm leaves the level ~20 ms high; then the drift is gone. A wound-up integral
    // would keep draining long after the level is back and dig far under the target.
    DriftController controller;
    controller.reset(kTarget, kTarget);
    const Simulation pinned =
        simulate(controller, 3000.0, 10.0, kTarget, [](double, const auto&) {});
    ASSERT_GT(pinned.level - kTarget, 0.015);
    double lowest = 1.0;
    double level = pinned.level;
    double previous = controller.correction();
    for (long i = 1; i <= 60000; ++i) {
        level += (0.0 - previous) * kDt;
        previous = controller.update(level + sawtooth(static_cast<double>(i) * kDt), kDt);
        lowest = std::min(lowest, controller.smoothedLevel());
    }
    EXPECT_NEAR(controller.smoothedLevel(), kTarget, 0.001);
    EXPECT_GT(lowest, kTarget - 0.003);
    EXPECT_NEAR(controller.integral() * 1e6, 0.0, 10.0);
    // The reading is the integral smoothed over ten seconds: it trails it back to zero.
    EXPECT_NEAR(controller.driftPpm(), 0.0, 20.0);
}

TEST(DriftControllerTest, ObserveFollowsTheLevelWithoutCorrecting) {
    DriftController controller;
    controller.reset(kTarget, kTarget);
    for (int i = 0; i < 5000; ++i) {
        controller.observe(0.060, kDt);
    }
    // 5 s = 10 τ: within e^(−10) of the new level.
    EXPECT_NEAR(controller.smoothedLevel(), 0.060, 0.020 * std::exp(-10.0) * 1.01);
    EXPECT_EQ(controller.correction(), 0.0);
    EXPECT_EQ(controller.driftPpm(), 0.0);
}

TEST(DriftControllerTest, NonPositiveStepsAndNonFiniteLevelsChangeNothing) {
    DriftController controller;
    controller.reset(kTarget, 0.050);
    const double first = controller.update(0.050, kDt);
    EXPECT_GT(first, 0.0);  // 10 ms too much: drain
    EXPECT_EQ(controller.update(0.5, 0.0), first);
    EXPECT_EQ(controller.update(0.5, -1.0), first);
    EXPECT_EQ(controller.update(std::nan(""), kDt), first);
    EXPECT_EQ(controller.update(INFINITY, kDt), first);
    EXPECT_EQ(controller.smoothedLevel(), 0.050);
}

}  // namespace
}  // namespace liverack::core
