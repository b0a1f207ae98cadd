// ParameterInfo: values are constrained to range, step and choice; control mapping follows skew.
#include "core/dsp/ParameterInfo.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace liverack::core {
namespace {

TEST(ParameterInfoTest, ConstrainClampsToRangeAndReplacesNonFiniteWithDefault) {
    const auto p = ParameterInfo::continuous("gain_db", "Gain", "dB", -60, 24, 0);
    EXPECT_EQ(p.constrain(100.0f), 24.0f);
    EXPECT_EQ(p.constrain(-100.0f), -60.0f);
    EXPECT_EQ(p.constrain(std::numeric_limits<float>::quiet_NaN()), 0.0f);
    EXPECT_EQ(p.constrain(std::numeric_limits<float>::infinity()), 0.0f);
}

TEST(ParameterInfoTest, SteppedParameterSnapsToNearestStep) {
    const auto p = ParameterInfo::continuous("slope_db", "Slope", "dB/oct", 12, 48, 12,
                                             ParameterSkew::Linear, 12);
    EXPECT_EQ(p.constrain(25.0f), 24.0f);
    EXPECT_EQ(p.constrain(31.0f), 36.0f);
}

TEST(ParameterInfoTest, ChoiceAndToggleHoldWholeIndices) {
    const auto c = ParameterInfo::choice("detector", "Detector", {"peak", "rms"}, 0);
    EXPECT_EQ(c.constrain(0.7f), 1.0f);
    EXPECT_EQ(c.choiceIndex("rms"), 1);
    EXPECT_EQ(c.choiceIndex("loud"), -1);
    const auto t = ParameterInfo::toggle("mute", "Mute", false);
    EXPECT_EQ(t.constrain(0.2f), 0.0f);
    EXPECT_EQ(t.constrain(5.0f), 1.0f);
}

TEST(ParameterInfoTest, LogarithmicMappingPutsGeometricMeanAtMidTravel) {
    const auto p = ParameterInfo::continuous("freq_hz", "Frequency", "Hz", 20, 20000, 1000,
                                             ParameterSkew::Logarithmic);
    EXPECT_NEAR(p.fromNormalised(0.5f), std::sqrt(20.0f * 20000.0f), 0.05f);
    EXPECT_NEAR(p.toNormalised(2000.0f), 2.0f / 3.0f, 1e-5f);
    EXPECT_NEAR(p.fromNormalised(p.toNormalised(440.0f)), 440.0f, 0.01f);
}

TEST(ParameterInfoTest, LinearMappingIsProportional) {
    const auto p = ParameterInfo::continuous("pan", "Balance", "", -1, 1, 0);
    EXPECT_FLOAT_EQ(p.fromNormalised(0.75f), 0.5f);
    EXPECT_FLOAT_EQ(p.toNormalised(-1.0f), 0.0f);
}

}  // namespace
}  // namespace liverack::core
