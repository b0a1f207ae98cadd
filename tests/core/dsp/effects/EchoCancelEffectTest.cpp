// EchoCancelEffect: a far-end voice played into a room (40 ms away, a few reflections and a
// 150 ms decaying tail) comes back into the microphone; once the canceller has had 5 s, the
// echo is at least 20 dB down in far-end-only stretches (ERLE) while a near-end voice alone
// keeps its level within 3 dB, at 48 and 44.1 kHz. Without a reference the audio passes through
// exactly (delayed by the reported latency) and the effect says so.
#include "core/dsp/effects/EchoCancelEffect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
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

const std::vector<std::string> kFarEnd = {
    "Hello, can you hear me clearly on your side of the line?",
    "I am calling about the order we placed at the start of the month.",
    "The parcel has not arrived yet, and the tracking page shows nothing.",
    "Could you check where it is and let me know by the end of the day?",
    "Thank you very much, I will wait for your message.",
};
const std::vector<std::string> kNearEnd = {
    "Yes, I can hear you well, let me look that up for you.",
    "It left our warehouse yesterday and should be with you tomorrow.",
};

// The room: the direct sound 40 ms after the loudspeaker, three reflections, and a 150 ms tail
// of exponentially decaying noise (60 dB down at its end), seeded.
std::vector<float> roomResponse(double rate) {
    const auto delay = static_cast<size_t>(0.040 * rate);
    const auto tail = static_cast<size_t>(0.150 * rate);
    std::vector<float> h(delay + tail, 0.0f);
    h[delay] = 0.5f;
    h[delay + static_cast<size_t>(0.007 * rate)] = -0.3f;
    h[delay + static_cast<size_t>(0.013 * rate)] = 0.2f;
    h[delay + static_cast<size_t>(0.021 * rate)] = -0.15f;
    std::mt19937 rng(21);
    std::normal_distribution<float> noise(0.0f, 0.03f);
    for (size_t i = 0; i < tail; ++i) {
        const double decay = std::pow(10.0, -3.0 * static_cast<double>(i) / tail);
        h[delay + i] += static_cast<float>(decay * noise(rng));
    }
    return h;
}

std::vector<float> convolve(const std::vector<float>& x, const std::vector<float>& h) {
    std::vector<float> y(x.size(), 0.0f);
    for (size_t k = 0; k < h.size(); ++k) {
        if (h[k] == 0.0f) {
            continue;
        }
        for (size_t i = k; i < x.size(); ++i) {
            y[i] += h[k] * x[i - k];
        }
    }
    return y;
}

class EchoCancelAtRate : public ::testing::TestWithParam<double> {};

TEST_P(EchoCancelAtRate, EchoDropsTwentyDbAndTheNearEndKeepsItsLevel) {
    const double rate = GetParam();
    test::TempFolder folder;
    const test::Speech far = test::speak(kFarEnd, "en-us", rate, 0.5, folder.path());
    const test::Speech near = test::speak(kNearEnd, "en-gb", rate, 0.5, folder.path());
    ASSERT_FALSE(far.samples.empty() || near.samples.empty()) << "espeak-ng could not speak";
    // The far end talks first, then the near end alone (the far end silent but present).
    const size_t nearStart = far.samples.size();
    const size_t total = nearStart + near.samples.size();
    std::vector<float> reference(total, 0.0f);
    std::vector<float> nearEnd(total, 0.0f);
    for (size_t i = 0; i < far.samples.size(); ++i) {
        reference[i] = 0.5f * far.samples[i];
    }
    for (size_t i = 0; i < near.samples.size(); ++i) {
        nearEnd[nearStart + i] = 0.5f * near.samples[i];
    }
    const std::vector<float> echo = convolve(reference, roomResponse(rate));
    std::vector<float> microphone(total);
    for (size_t i = 0; i < total; ++i) {
        microphone[i] = nearEnd[i] + echo[i];
    }

    EchoCancelEffect aec;
    aec.prepare({rate, 256, 1});
    ASSERT_TRUE(aec.isReady());
    const size_t latency = aec.latencyFrames();
    microphone.resize(total + latency, 0.0f);
    reference.resize(total + latency, 0.0f);
    const std::vector<float> out = test::runVoice(aec, microphone, 256, 1, &reference);
    EXPECT_EQ(aec.outputs().get(EchoCancelEffect::kReferenceOutput), 1.0f);
    EXPECT_EQ(aec.underrunCount(), 0u);

    // Far-end sentences that start after 5 s: the echo in the microphone against what is left.
    double echoPower = 0.0;
    double residualPower = 0.0;
    for (auto [b, e] : far.sentences) {
        if (b < static_cast<size_t>(5.0 * rate)) {
            continue;
        }
        const double in = meanSquare(echo, b, e);
        double left = 0.0;
        for (size_t i = b; i < e; ++i) {
            left += static_cast<double>(out[i + latency]) * out[i + latency];
        }
        left /= static_cast<double>(e - b);
        std::printf("far-end sentence at %.1f s: ERLE %.1f dB\n", b / rate, toDb(in) - toDb(left));
        echoPower += in;
        residualPower += left;
    }
    ASSERT_GT(echoPower, 0.0);
    const double erle = toDb(echoPower) - toDb(residualPower);
    std::printf("%.0f Hz: ERLE after 5 s %.1f dB\n", rate, erle);
    EXPECT_GE(erle, 20.0);

    for (auto [b, e] : near.sentences) {
        const double expected = toDb(meanSquare(nearEnd, nearStart + b, nearStart + e));
        double got = 0.0;
        for (size_t i = nearStart + b; i < nearStart + e; ++i) {
            got += static_cast<double>(out[i + latency]) * out[i + latency];
        }
        got = toDb(got / static_cast<double>(e - b));
        std::printf("near-end sentence: %.1f dBFS in, %.1f dBFS out\n", expected, got);
        EXPECT_NEAR(got, expected, 3.0);
    }
}

TEST_P(EchoCancelAtRate, WithoutAReferenceTheInputPassesDelayedByTheLatency) {
    const double rate = GetParam();
    EchoCancelEffect aec;
    aec.prepare({rate, 128, 2});
    std::vector<float> impulse(static_cast<size_t>(0.2 * rate), 0.0f);
    impulse[1000] = 0.5f;
    const std::vector<float> out = test::runVoice(aec, impulse, 100, 2);
    EXPECT_EQ(aec.outputs().get(EchoCancelEffect::kReferenceOutput), 0.0f);
    const uint32_t latency = aec.latencyFrames();
    size_t peakAt = 0;
    for (size_t i = 0; i < out.size(); ++i) {
        if (std::abs(out[i]) > std::abs(out[peakAt])) {
            peakAt = i;
        }
    }
    std::printf("%.0f Hz: latency %u, impulse peak after %zu frames\n", rate, latency,
                peakAt - 1000);
    if (rate == 48000.0) {
        // Framed directly: the very samples, a frame and the library's band split later.
        EXPECT_EQ(latency, 480u + 46u);
        for (size_t i = 0; i < out.size(); ++i) {
            ASSERT_EQ(out[i], i == 1000 + latency ? 0.5f : 0.0f) << "sample " << i;
        }
    } else {
        EXPECT_NEAR(static_cast<double>(peakAt), 1000.0 + latency, 1.0);
        // A full-band click loses what lies above the resamplers' passband (0.8 of Nyquist).
        EXPECT_GT(out[peakAt], 0.25f);
        std::printf("peak %.3f\n", out[peakAt]);
    }
}

INSTANTIATE_TEST_SUITE_P(Rates, EchoCancelAtRate, ::testing::Values(48000.0, 44100.0),
                         [](const auto& info) {
                             return std::to_string(static_cast<int>(info.param)) + "Hz";
                         });

TEST(EchoCancelEffectTest, ParametersAndTheReferenceOutputAreDeclared) {
    const EffectInfo* info = EffectFactory::info("echo_cancel");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->parameters.size(), 2u);
    EXPECT_EQ(info->parameters[0].id, "suppression");
    EXPECT_EQ(info->parameters[0].choices, (std::vector<std::string>{"low", "moderate", "high"}));
    EXPECT_EQ(info->parameters[1].id, "delay_ms");
    ASSERT_EQ(info->outputs.size(), 1u);
    EXPECT_EQ(info->outputs[0].id, "reference");
}

}  // namespace
}  // namespace liverack::core
