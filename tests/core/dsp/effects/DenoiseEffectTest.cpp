// DenoiseEffect: on espeak-ng speech in pink noise at 5 dB SNR, the noise in the speech pauses
// drops by at least 15 dB at `high` while the speech's telephone band keeps its level within
// 3 dB, at 48 kHz (framed directly) and 44.1 kHz (through libsoxr); the reported latency is
// where the output lines up with the input; the dry path of the mix lines up exactly.
#include "core/dsp/effects/DenoiseEffect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/dsp/EffectFactory.h"
#include "tests/support/SpeechMaterial.h"
#include "tests/support/TempFolder.h"
#include "tests/support/VoiceTestSupport.h"

namespace liverack::core {
namespace {

using test::meanSquare;
using test::toDb;

const std::vector<std::string> kSentences = {
    "The quick brown fox jumps over the lazy dog.",
    "Please call me back when you have read the report.",
    "We will meet at the station at half past nine.",
    "Thank you, that was all I wanted to say today.",
};

class DenoiseAtRate : public ::testing::TestWithParam<double> {};

TEST_P(DenoiseAtRate, HighLevelRemovesFifteenDbOfNoiseInPausesAndKeepsTheSpeechBand) {
    const double rate = GetParam();
    test::TempFolder folder;
    test::Speech speech = test::speak(kSentences, "en-us", rate, 1.0, folder.path());
    ASSERT_FALSE(speech.samples.empty()) << "espeak-ng could not speak";
    // Speech at -23 dBFS RMS over its sentences; pink noise 5 dB below it.
    double speechPower = 0.0;
    size_t speechFrames = 0;
    for (auto [b, e] : speech.sentences) {
        speechPower += meanSquare(speech.samples, b, e) * static_cast<double>(e - b);
        speechFrames += e - b;
    }
    speechPower /= static_cast<double>(speechFrames);
    const double scale = std::pow(10.0, -23.0 / 20.0) / std::sqrt(speechPower);
    std::vector<float>& clean = speech.samples;
    for (float& v : clean) {
        v = static_cast<float>(v * scale);
    }
    const std::vector<float> noise = test::pinkNoise(clean.size(), -28.0f, 3);
    std::vector<float> noisy(clean.size());
    for (size_t i = 0; i < clean.size(); ++i) {
        noisy[i] = clean[i] + noise[i];
    }

    DenoiseEffect denoise;
    denoise.parameters().set(DenoiseEffect::kLevel, DenoiseEffect::kHigh);
    denoise.prepare({rate, 256, 1});
    ASSERT_TRUE(denoise.isReady());
    const size_t latency = denoise.latencyFrames();
    std::vector<float> padded = noisy;
    padded.resize(noisy.size() + latency, 0.0f);
    const std::vector<float> out = test::runVoice(denoise, padded, 256);
    EXPECT_EQ(denoise.underrunCount(), 0u);
    // Aligned: aligned[n] is the output for input n.
    const std::vector<float> aligned(out.begin() + static_cast<std::ptrdiff_t>(latency), out.end());

    // Pauses after the first sentence (the noise estimate has settled by then), without their
    // first 150 ms (the speech's last echo in the suppressor) and last 50 ms.
    const auto settle = static_cast<size_t>(0.15 * rate);
    const auto edge = static_cast<size_t>(0.05 * rate);
    for (size_t p = 1; p < speech.pauses.size(); ++p) {
        const auto [b, e] = speech.pauses[p];
        const double before = toDb(meanSquare(noise, b + settle, e - edge));
        const double after = toDb(meanSquare(aligned, b + settle, e - edge));
        std::printf("pause %zu: noise %.1f dBFS -> %.1f dBFS (%.1f dB less)\n", p, before, after,
                    before - after);
        EXPECT_GE(before - after, 15.0) << "pause " << p;
    }
    const std::vector<float> cleanBand = test::telephoneBand(clean, rate);
    const std::vector<float> outBand = test::telephoneBand(aligned, rate);
    for (size_t s = 1; s < speech.sentences.size(); ++s) {
        const auto [b, e] = speech.sentences[s];
        const double expected = toDb(meanSquare(cleanBand, b, e));
        const double got = toDb(meanSquare(outBand, b, e));
        std::printf("sentence %zu: clean band %.1f dBFS, denoised band %.1f dBFS\n", s, expected,
                    got);
        EXPECT_NEAR(got, expected, 3.0) << "sentence " << s;
    }
}

TEST_P(DenoiseAtRate, OutputLinesUpWithTheInputAtTheReportedLatency) {
    const double rate = GetParam();
    DenoiseEffect denoise;
    denoise.parameters().set(DenoiseEffect::kLevel, DenoiseEffect::kLow);
    denoise.prepare({rate, 512, 2});
    // Broadband noise, loud enough that the suppressor leaves most of it: the cross-correlation
    // of input and output peaks where the processed noise lines up with the original.
    const std::vector<float> input = test::pinkNoise(static_cast<size_t>(2.0 * rate), -20.0f, 9);
    const std::vector<float> out = test::runVoice(denoise, input, 512, 2);
    const std::vector<float> tail(input.begin() + static_cast<std::ptrdiff_t>(rate), input.end());
    const std::vector<float> outTail(out.begin() + static_cast<std::ptrdiff_t>(rate), out.end());
    const int64_t lag = test::peakLag(tail, outTail, 4000);
    // 48 kHz: one frame, the band split and the suppressor's overlap, 480 + 46 + 288 samples.
    if (rate == 48000.0) {
        EXPECT_EQ(denoise.latencyFrames(), 814u);
        EXPECT_EQ(lag, 814);
    } else {
        EXPECT_NEAR(static_cast<double>(lag), denoise.latencyFrames(), 1.0);
    }
    std::printf("%.0f Hz: latency %u frames, measured %lld\n", rate, denoise.latencyFrames(),
                static_cast<long long>(lag));
}

TEST_P(DenoiseAtRate, MixAtZeroIsTheInputDelayedByTheLatencyExactly) {
    const double rate = GetParam();
    DenoiseEffect denoise;
    denoise.parameters().set(DenoiseEffect::kMix, 0.0f);
    denoise.prepare({rate, 128, 2});
    const std::vector<float> input = test::pinkNoise(static_cast<size_t>(0.5 * rate), -20.0f, 4);
    const std::vector<float> out = test::runVoice(denoise, input, 100, 2);
    const uint32_t latency = denoise.latencyFrames();
    ASSERT_GT(latency, 0u);
    for (size_t i = 0; i < out.size(); ++i) {
        ASSERT_EQ(out[i], i < latency ? 0.0f : input[i - latency]) << "sample " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Rates, DenoiseAtRate, ::testing::Values(48000.0, 44100.0),
                         [](const auto& info) {
                             return std::to_string(static_cast<int>(info.param)) + "Hz";
                         });

TEST(DenoiseEffectTest, ParametersAreTheReleasedOnes) {
    const EffectInfo* info = EffectFactory::info("denoise");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->parameters.size(), 2u);
    EXPECT_EQ(info->parameters[0].id, "level");
    EXPECT_EQ(info->parameters[0].choices,
              (std::vector<std::string>{"low", "moderate", "high", "very_high"}));
    EXPECT_EQ(info->parameters[0].defaultValue, 2.0f);
    EXPECT_EQ(info->parameters[1].id, "mix");
    EXPECT_EQ(info->parameters[1].defaultValue, 1.0f);
}

}  // namespace
}  // namespace liverack::core
