// SmoothedValue: ramps reach their target in exactly the ramp length, never overshoot, and
// multiplicative ramps move by a constant ratio.
#include "core/dsp/SmoothedValue.h"

#include <gtest/gtest.h>

#include <cmath>

namespace liverack::core {
namespace {

TEST(SmoothedValueTest, LinearRampReachesTargetAfterRampLengthWithEqualSteps) {
    LinearSmoothedValue v(0.0f);
    v.reset(48000.0, 0.01);  // 480 samples
    v.setTarget(1.0f);
    float previous = 0.0f;
    for (int i = 0; i < 479; ++i) {
        const float x = v.next();
        EXPECT_NEAR(x - previous, 1.0f / 480.0f, 1e-6f);
        previous = x;
    }
    EXPECT_EQ(v.next(), 1.0f);
    EXPECT_FALSE(v.isSmoothing());
}

TEST(SmoothedValueTest, MultiplicativeRampHasConstantRatio) {
    MultiplicativeSmoothedValue v(100.0f);
    v.reset(44100.0, 0.02);
    v.setTarget(1000.0f);
    const float ratio = std::pow(10.0f, 1.0f / static_cast<float>(v.rampLength()));
    float previous = 100.0f;
    for (int i = 0; i < v.rampLength() - 1; ++i) {
        const float x = v.next();
        EXPECT_NEAR(x / previous, ratio, 1e-5f);
        previous = x;
    }
    EXPECT_EQ(v.next(), 1000.0f);
}

TEST(SmoothedValueTest, SkipAdvancesLikeRepeatedNext) {
    LinearSmoothedValue a(0.0f);
    LinearSmoothedValue b(0.0f);
    a.reset(96000.0, 0.02);
    b.reset(96000.0, 0.02);
    a.setTarget(-2.0f);
    b.setTarget(-2.0f);
    for (int i = 0; i < 100; ++i) {
        a.next();
    }
    EXPECT_NEAR(b.skip(100), a.current(), 1e-5f);
    EXPECT_EQ(b.skip(100000), -2.0f);
}

TEST(SmoothedValueTest, ZeroRampJumpsAtOnce) {
    LinearSmoothedValue v(0.0f);
    v.setTarget(3.0f);
    EXPECT_EQ(v.next(), 3.0f);
}

}  // namespace
}  // namespace liverack::core
