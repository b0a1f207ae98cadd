// AgcEffect: quiet (-40 dBFS) and loud (-10 dBFS) speech both come out with their loud frames at
// the target once the library has adapted, peaks never over full scale; the reported latency is
// where the output lines up with the input.
#include "core/dsp/effects/AgcEffect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/dsp/EffectFactory.h"
#include "tests/support/SpeechMaterial.h"
#include "tests/support/TempFolder.h"
#include "tests/support/VoiceTestSupport.h"

namespace liverack::core {
namespace {

const std::vector<std::string> kSentences = {
    "Good morning, and welcome to the weekly meeting of the project.",
    "First we look at what was finished, then at what is still open.",
    "The new release went out on Tuesday, and the feedback was good.",
    "Next week we will test the voice effects on real calls.",
    "If anything is unclear, please ask now or write to me later.",
    "That is all for today, thank you for listening.",
};

// The speech spoken, its sentences scaled to `dbfs` RMS.
test::Speech speechAt(double rate, double dbfs, const std::string& folder) {
    test::Speech speech = test::speak(kSentences, "en-gb", rate, 0.3, folder);
    double power = 0.0;
    size_t frames = 0;
    for (auto [b, e] : speech.sentences) {
        power += test::meanSquare(speech.samples, b, e) * static_cast<double>(e - b);
        frames += e - b;
    }
    const double scale =
        std::pow(10.0, dbfs / 20.0) / std::sqrt(power / static_cast<double>(frames));
    for (float& v : speech.samples) {
        v = static_cast<float>(v * scale);
    }
    return speech;
}

// webrtc's AGC steers the envelope of the speech, not its loudness: target_dbfs is the level the
// loud 10 ms frames reach (its header: "the target peak level (or envelope)"). Measured on this
// material at every target, the 90th percentile of the frames' peaks lands within 1.5 dB of it
// while the short-term loudness sits 8 dB (loud input) to 11 dB (quiet input) lower; a quiet
// voice is brought up at about 2 dB a second, so it needs some 10 s, a loud one is brought down
// at once. The test holds the effect to what the library promises.
class AgcLevels : public ::testing::TestWithParam<std::tuple<double, double, float>> {};

TEST_P(AgcLevels, LoudFramesReachTheTargetAndPeaksStayBelowFullScale) {
    const auto [rate, inputDbfs, target] = GetParam();
    test::TempFolder folder;
    const test::Speech speech = speechAt(rate, inputDbfs, folder.path());
    ASSERT_FALSE(speech.samples.empty()) << "espeak-ng could not speak";
    AgcEffect agc;
    agc.parameters().set(AgcEffect::kTargetDbfs, target);
    agc.prepare({rate, 256, 1});
    ASSERT_TRUE(agc.isReady());
    const std::vector<float> out = test::runVoice(agc, speech.samples, 256);
    EXPECT_EQ(agc.underrunCount(), 0u);

    const double settle = inputDbfs < target ? 10.0 : 3.0;  // seconds: up slowly, down at once
    const size_t latency = agc.latencyFrames();
    const auto frame = static_cast<size_t>(rate / 100);
    std::vector<double> framePeaks;
    float peak = 0.0f;
    for (float v : out) {
        peak = std::max(peak, std::abs(v));
    }
    for (auto [b, e] : speech.sentences) {
        if (b < static_cast<size_t>(settle * rate)) {
            continue;
        }
        for (size_t i = b; i + frame <= e; i += frame) {
            float m = 0.0f;
            for (size_t k = i; k < i + frame; ++k) {
                m = std::max(m, std::abs(out[k + latency]));
            }
            framePeaks.push_back(20.0 * std::log10(m + 1e-9));
        }
    }
    ASSERT_GT(framePeaks.size(), 100u);
    std::sort(framePeaks.begin(), framePeaks.end());
    const double loudFrames = framePeaks[framePeaks.size() * 9 / 10];
    std::printf("input %.0f dBFS, target %.0f: loud frames %.1f dBFS, sample peak %.1f dBFS\n",
                inputDbfs, target, loudFrames, 20.0 * std::log10(peak));
    EXPECT_NEAR(loudFrames, target, 3.0);
    // The library's limiter acts on 10 ms envelopes and lets single peaks over the target by
    // up to 5.2 dB (measured); full scale is never crossed.
    EXPECT_LE(peak, 1.0f);
    EXPECT_LE(20.0 * std::log10(peak), target + 6.0);
}

INSTANTIATE_TEST_SUITE_P(Levels, AgcLevels,
                         ::testing::Combine(::testing::Values(48000.0, 44100.0),
                                            ::testing::Values(-40.0, -10.0),
                                            ::testing::Values(-18.0f, -3.0f)));

TEST(AgcEffectTest, OutputLinesUpWithTheInputAtTheReportedLatency) {
    for (const double rate : {48000.0, 44100.0}) {
        AgcEffect agc;
        agc.prepare({rate, 480, 2});
        const std::vector<float> input =
            test::pinkNoise(static_cast<size_t>(2.0 * rate), -20.0f, 5);
        const std::vector<float> out = test::runVoice(agc, input, 480, 2);
        const int64_t lag = test::peakLag(input, out, 3000);
        std::printf("%.0f Hz: latency %u frames, measured %lld\n", rate, agc.latencyFrames(),
                    static_cast<long long>(lag));
        if (rate == 48000.0) {
            EXPECT_EQ(lag, 480 + 46);  // a frame and the band split
            EXPECT_EQ(agc.latencyFrames(), 526u);
        } else {
            EXPECT_NEAR(static_cast<double>(lag), agc.latencyFrames(), 1.0);
        }
    }
}

TEST(AgcEffectTest, ParametersAreTheReleasedOnes) {
    const EffectInfo* info = EffectFactory::info("agc");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->parameters.size(), 3u);
    EXPECT_EQ(info->parameters[0].id, "target_dbfs");
    EXPECT_EQ(info->parameters[0].minValue, -31.0f);
    EXPECT_EQ(info->parameters[0].maxValue, 0.0f);
    EXPECT_EQ(info->parameters[0].defaultValue, -18.0f);
    EXPECT_EQ(info->parameters[1].id, "max_gain_db");
    EXPECT_EQ(info->parameters[1].maxValue, 90.0f);
    EXPECT_EQ(info->parameters[2].id, "limiter");
    EXPECT_EQ(info->parameters[2].defaultValue, 1.0f);
}

}  // namespace
}  // namespace liverack::core
