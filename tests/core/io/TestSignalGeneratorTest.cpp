// Built-in test signals: level and frequency are what they claim.
#include "core/io/TestSignalGenerator.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/dsp/AudioBuffer.h"
#include "core/io/SourceFactory.h"

namespace liverack::core {
namespace {

double rms(const float* x, size_t n) {
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
        sum += double(x[i]) * x[i];
    }
    return std::sqrt(sum / n);
}

TEST(TestSignalGeneratorTest, SinePeakEqualsLevelAndZeroCrossingsMatchFrequency) {
    TestSignalGenerator sine(TestSignalGenerator::Kind::Sine, 1000.0, -6.0f);
    sine.prepare({48000.0, 48000, 2});
    AudioBuffer buffer(2, 48000);
    sine.process(buffer.block());
    float peak = 0.0f;
    int rising = 0;
    for (uint32_t i = 1; i < 48000; ++i) {
        peak = std::max(peak, std::abs(buffer.channel(0)[i]));
        rising += buffer.channel(0)[i - 1] < 0.0f && buffer.channel(0)[i] >= 0.0f;
    }
    EXPECT_NEAR(20.0 * std::log10(peak), -6.0, 0.01);
    EXPECT_NEAR(rising, 1000, 1);
    EXPECT_EQ(buffer.channel(1)[1234], buffer.channel(0)[1234]);
}

TEST(TestSignalGeneratorTest, NoiseRmsEqualsLevel) {
    for (auto kind :
         {TestSignalGenerator::Kind::WhiteNoise, TestSignalGenerator::Kind::PinkNoise}) {
        TestSignalGenerator noise(kind, 0.0, -20.0f);
        noise.prepare({48000.0, 480000, 1});
        AudioBuffer buffer(1, 480000);
        noise.process(buffer.block());
        EXPECT_NEAR(20.0 * std::log10(rms(buffer.channel(0), 480000)), -20.0, 1.0);
    }
}

TEST(SourceFactoryTest, ParsesEveryFormAndRefusesNonsenseWithASentence) {
    EXPECT_TRUE(SourceFactory::create("device").ok());
    EXPECT_EQ(SourceFactory::create("device").value(), nullptr);
    EXPECT_EQ(SourceFactory::create("sine:220").value()->description(), "sine 220 Hz");
    EXPECT_TRUE(SourceFactory::create("noise").ok());
    EXPECT_TRUE(SourceFactory::create("pink").ok());
    EXPECT_TRUE(SourceFactory::create("sweep").ok());
    auto bad = SourceFactory::create("sine:abc");
    EXPECT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("sine:440"), std::string::npos);
    EXPECT_FALSE(SourceFactory::create("microphone").ok());
}

}  // namespace
}  // namespace liverack::core
