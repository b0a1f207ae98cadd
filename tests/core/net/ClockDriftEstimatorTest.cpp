// ClockDriftEstimator against clocks whose ratio is known: the drift read back from the packets
// of a sender that is so many ppm fast, through arrival jitter, block-sized steps of the device
// counter, a busy spell that delays a run of packets, cycles the device skipped, and over hours.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/net/ClockDriftEstimator.h"

namespace liverack::core {
namespace {

constexpr double kRate = 48000.0;

// `seconds` of 5 ms packets from a sender `ppm` fast; each arrives `jitter` (uniform, seconds)
// late and is stamped with the device counter rounded down to a 256-frame block.
double measure(ClockDriftEstimator& estimator, double ppm, double seconds, double jitter,
               double startSeconds = 0.0, double skippedFrames = 0.0) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> late(0.0, jitter);
    const double packetDeviceSeconds = 0.005 / (1.0 + ppm * 1e-6);
    const auto packets = static_cast<size_t>(seconds / packetDeviceSeconds);
    const auto first = static_cast<size_t>(startSeconds / packetDeviceSeconds);
    for (size_t k = first; k < first + packets; ++k) {
        const double arrival = static_cast<double>(k) * packetDeviceSeconds + late(rng);
        const double deviceFrames = std::floor(arrival * kRate / 256.0) * 256.0 - skippedFrames;
        estimator.add(deviceFrames, static_cast<double>(k) * 240.0);
    }
    return estimator.driftPpm();
}

TEST(ClockDriftEstimatorTest, ReadsTheSendersDriftThroughJitterAndBlockSteps) {
    for (const double ppm : {0.0, 200.0, -150.0, 1000.0}) {
        ClockDriftEstimator estimator;
        estimator.reset(kRate, kRate);
        EXPECT_NEAR(measure(estimator, ppm, 60.0, 0.010), ppm, 5.0) << ppm;
    }
}

TEST(ClockDriftEstimatorTest, ABusySpellThatDelaysPacketsMovesTheReadingLittle) {
    ClockDriftEstimator estimator;
    estimator.reset(kRate, kRate);
    measure(estimator, 200.0, 40.0, 0.002);
    // Then 2 s of packets each 20 ms late (a stalled receiver thread), then normal again.
    measure(estimator, 200.0, 2.0, 0.0, 40.0 + 0.020);
    EXPECT_NEAR(measure(estimator, 200.0, 18.0, 0.002, 42.0), 200.0, 10.0);
}

TEST(ClockDriftEstimatorTest, CyclesTheDeviceSkippedDoNotMoveTheReading) {
    // Two xruns a minute apart from each other: each time the device's counter falls a block
    // behind for good. A single fit through them would read ~90 ppm more per block.
    ClockDriftEstimator estimator;
    estimator.reset(kRate, kRate);
    measure(estimator, 200.0, 25.0, 0.005);
    measure(estimator, 200.0, 20.0, 0.005, 25.0, 256.0);
    EXPECT_NEAR(measure(estimator, 200.0, 20.0, 0.005, 45.0, 512.0), 200.0, 10.0);
}

TEST(ClockDriftEstimatorTest, KeepsItsPrecisionOverHours) {
    ClockDriftEstimator estimator;
    estimator.reset(kRate, kRate);
    EXPECT_NEAR(measure(estimator, 50.0, 4 * 3600.0, 0.005), 50.0, 2.0);
}

TEST(ClockDriftEstimatorTest, NoReadingBeforeTheFirstSegmentOrFromNonsense) {
    ClockDriftEstimator estimator;
    estimator.reset(kRate, kRate);
    measure(estimator, 200.0, 9.0, 0.0);
    EXPECT_FALSE(estimator.hasReading());
    EXPECT_EQ(estimator.driftPpm(), 0.0);
    estimator.add(NAN, 0.0);
    estimator.add(0.0, INFINITY);
    EXPECT_EQ(estimator.driftPpm(), 0.0);
}

TEST(ClockDriftEstimatorTest, ClocksOfDifferentNominalRatesCompareByTheirRatio) {
    // A 44.1 kHz PCM sender 100 ppm fast against a 48 kHz device.
    ClockDriftEstimator estimator;
    estimator.reset(48000.0, 44100.0);
    const double packetSeconds = 0.005 / (1.0 + 100e-6);
    for (size_t k = 0; k < 12000; ++k) {
        estimator.add(std::floor(static_cast<double>(k) * packetSeconds * 48000.0),
                      static_cast<double>(k) * 220.5);
    }
    EXPECT_NEAR(estimator.driftPpm(), 100.0, 2.0);
}

}  // namespace
}  // namespace liverack::core
