// AgcEffect: quiet (-40 dBFS) and loud (-10 dBFS) speech both come out with a short-term loudness
// within 3 dB of the target from 3 s on (measured by libebur128, not by the effect), sample peaks
// never over the limiter's ceiling; a pause of noise is not brought up, nor steady noise with
// nobody speaking at all; the reported latency is
// where the output lines up with the input.
#include "core/dsp/effects/AgcEffect.h"

#include <ebur128.h>
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

// Scales the speech so that its sentences have `dbfs` RMS.
void scaleTo(test::Speech& speech, double dbfs) {
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
}

test::Speech speechAt(double rate, double dbfs, const std::string& folder) {
    test::Speech speech = test::speak(kSentences, "en-gb", rate, 0.3, folder);
    scaleTo(speech, dbfs);
    return speech;
}

// libebur128's short-term loudness (3 s) of a mono signal, measured as dual mono as the effect
// reads mono, every 100 ms from `fromFrame` on.
std::vector<double> shortTermLoudness(const std::vector<float>& x, double rate, size_t fromFrame) {
    ebur128_state* meter =
        ebur128_init(1, static_cast<unsigned long>(std::lround(rate)), EBUR128_MODE_S);
    EXPECT_NE(meter, nullptr);
    if (meter == nullptr) {
        return {};
    }
    ebur128_set_channel(meter, 0, EBUR128_DUAL_MONO);
    const auto hop = static_cast<size_t>(rate / 10);
    std::vector<double> values;
    for (size_t at = 0; at + hop <= x.size(); at += hop) {
        ebur128_add_frames_float(meter, x.data() + at, hop);
        double lufs = 0.0;
        if (at + hop >= fromFrame && ebur128_loudness_shortterm(meter, &lufs) == EBUR128_SUCCESS) {
            values.push_back(lufs);
        }
    }
    ebur128_destroy(&meter);
    return values;
}

float samplePeak(const std::vector<float>& x) {
    float peak = 0.0f;
    for (float v : x) {
        peak = std::max(peak, std::abs(v));
    }
    return peak;
}

class AgcLoudness : public ::testing::TestWithParam<std::tuple<double, double, float>> {};

TEST_P(AgcLoudness, ShortTermLoudnessWithin3DbOfTargetAfter3SecondsAndPeaksUnderTheCeiling) {
    const auto [rate, inputDbfs, target] = GetParam();
    test::TempFolder folder;
    const test::Speech speech = speechAt(rate, inputDbfs, folder.path());
    ASSERT_FALSE(speech.samples.empty()) << "espeak-ng could not speak";
    ASSERT_GT(speech.samples.size(), static_cast<size_t>(10.0 * rate));
    AgcEffect agc;
    agc.parameters().set(AgcEffect::kTargetDbfs, target);
    agc.prepare({rate, 256, 1});
    ASSERT_TRUE(agc.isReady());
    const std::vector<float> out = test::runVoice(agc, speech.samples, 256);
    EXPECT_EQ(agc.underrunCount(), 0u);

    // The contract's 3 s counted from when the speech comes out.
    const std::vector<double> loudness =
        shortTermLoudness(out, rate, static_cast<size_t>(3.0 * rate) + agc.latencyFrames());
    ASSERT_GT(loudness.size(), 50u);
    const auto [low, high] = std::minmax_element(loudness.begin(), loudness.end());
    const float peak = samplePeak(out);
    std::printf(
        "%.0f Hz, input %.0f dBFS, target %.0f LUFS: short-term %.1f to %.1f LUFS, "
        "sample peak %.2f dBFS\n",
        rate, inputDbfs, target, *low, *high, 20.0 * std::log10(peak));
    EXPECT_GE(*low, target - 3.0);
    EXPECT_LE(*high, target + 3.0);
    EXPECT_LE(peak, std::pow(10.0f, AgcEffect::kCeilingDbfs / 20.0f));
}

// -18 LUFS is the default; -23 LUFS is EBU R128's programme level.
INSTANTIATE_TEST_SUITE_P(Levels, AgcLoudness,
                         ::testing::Combine(::testing::Values(48000.0, 44100.0),
                                            ::testing::Values(-40.0, -10.0),
                                            ::testing::Values(-18.0f, -23.0f)));

TEST(AgcEffectTest, LoudSpeechAtAHighTargetNeverCrossesTheCeiling) {
    // Speech's peaks sit some 12 dB over its loudness: at -6 LUFS the limiter works on every
    // sentence, and the ceiling holds (also through the 44.1 kHz resampling).
    for (const double rate : {48000.0, 44100.0}) {
        test::TempFolder folder;
        const test::Speech speech = speechAt(rate, -10.0, folder.path());
        ASSERT_FALSE(speech.samples.empty()) << "espeak-ng could not speak";
        AgcEffect agc;
        agc.parameters().set(AgcEffect::kTargetDbfs, -6.0f);
        agc.prepare({rate, 128, 2});
        const std::vector<float> out = test::runVoice(agc, speech.samples, 128, 2);
        const float peak = samplePeak(out);
        std::printf("%.0f Hz: sample peak %.3f dBFS\n", rate, 20.0 * std::log10(peak));
        EXPECT_LE(peak, std::pow(10.0f, AgcEffect::kCeilingDbfs / 20.0f));
        EXPECT_GT(20.0 * std::log10(peak), AgcEffect::kCeilingDbfs - 1.0);  // it was reached
    }
}

TEST(AgcEffectTest, GainDoesNotRiseDuringAPauseOfNoise) {
    // Quiet speech over steady pink noise 15 dB under it, with a 2 s pause of the noise alone
    // after the third sentence. The gain is well up by then (the speech needs about 20 dB);
    // were the noise steered to the target like speech, it would climb on to the 30 dB
    // maximum during the pause. The noise is the same before and after, so the output's level
    // over the pause's last half second against its first 0.3 s is the gain's change.
    const double rate = 48000.0;
    test::TempFolder folder;
    test::Speech speech = speechAt(rate, -40.0, folder.path());
    ASSERT_FALSE(speech.samples.empty()) << "espeak-ng could not speak";
    const size_t pauseBegin = speech.sentences[2].second;
    const auto pauseFrames = static_cast<size_t>(2.0 * rate);
    speech.samples.insert(speech.samples.begin() + static_cast<ptrdiff_t>(pauseBegin), pauseFrames,
                          0.0f);
    const std::vector<float> noise = test::pinkNoise(speech.samples.size(), -55.0f, 11);
    for (size_t i = 0; i < noise.size(); ++i) {
        speech.samples[i] += noise[i];
    }
    AgcEffect agc;
    agc.prepare({rate, 480, 1});
    const std::vector<float> out = test::runVoice(agc, speech.samples, 480);
    const size_t at = pauseBegin + agc.latencyFrames();
    // The pause begins with the sentence's own 0.3 s of silence: all noise from there on.
    const double gainInSpeech =
        test::toDb(test::meanSquare(out, speech.sentences[2].first + agc.latencyFrames(), at)) -
        test::toDb(test::meanSquare(speech.samples, speech.sentences[2].first, pauseBegin));
    const double early =
        test::toDb(test::meanSquare(out, at, at + static_cast<size_t>(0.3 * rate)));
    const size_t end = at + pauseFrames + static_cast<size_t>(0.3 * rate);  // with the 0.3 s
    const double late =
        test::toDb(test::meanSquare(out, end - static_cast<size_t>(0.5 * rate), end));
    std::printf(
        "gain in the third sentence %.1f dB; noise %.1f dBFS early in the pause, %.1f at "
        "its end\n",
        gainInSpeech, early, late);
    EXPECT_GT(gainInSpeech, 12.0);  // it was steering: the pause is not trivially quiet
    EXPECT_LE(late - early, 2.0);
}

TEST(AgcEffectTest, SteadyNoiseWithNobodySpeakingIsNotBroughtUp) {
    // What a noise suppressor before the AGC leaves when nobody speaks (the "Voice chat"
    // chain): pink noise at -25 dBFS through `denoise` at high, for 10 s. The library's voice
    // detector takes that residue for voice; steered like speech it came up by 20 dB, to the
    // -18 LUFS target. It must come out of the AGC at the level it went in.
    for (const double rate : {48000.0, 44100.0}) {
        const auto frames = static_cast<size_t>(10.0 * rate);
        std::unique_ptr<Effect> denoise = EffectFactory::create("denoise");
        ASSERT_NE(denoise, nullptr);
        denoise->prepare({rate, 480, 1});
        denoise->reset();
        const std::vector<float> residue =
            test::runVoice(*denoise, test::pinkNoise(frames, -25.0f, 5), 480);
        AgcEffect agc;
        agc.prepare({rate, 480, 1});
        const std::vector<float> out = test::runVoice(agc, residue, 480);
        const auto from = static_cast<size_t>(2.0 * rate);
        const double residueDb = test::toDb(test::meanSquare(residue, from, frames));
        const double change = test::toDb(test::meanSquare(out, from, frames)) - residueDb;
        std::printf(
            "%.0f Hz: the suppressor's residue (%.1f dBFS) came out %.2f dB from its "
            "level\n",
            rate, residueDb, change);
        EXPECT_LT(std::abs(change), 1.0);
        EXPECT_LT(std::abs(agc.currentGainDb()), 1.0f);
    }
}

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
            // One frame: the voice detector only listens, the library's band split never runs.
            EXPECT_EQ(lag, 480);
            EXPECT_EQ(agc.latencyFrames(), 480u);
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
