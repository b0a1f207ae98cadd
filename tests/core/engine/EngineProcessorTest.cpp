// EngineProcessor driven directly (no device): a chain swap fades out and in instead of jumping,
// oversized device blocks are split, test signals flow through, taps see pre and post audio; the
// reference reaches the effects with the input of the same frames, on the same channels.
#include "core/engine/EngineProcessor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/dsp/effects/GainEffect.h"
#include "core/dsp/effects/LimiterEffect.h"
#include "core/io/TestSignalGenerator.h"
#include "tests/support/ReferenceProbe.h"

namespace liverack::core {
namespace {

std::unique_ptr<EffectChain> gainChain(float db) {
    auto gain = std::make_unique<GainEffect>();
    gain->parameters().set(GainEffect::kGainDb, db);
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::move(gain)));
    return std::make_unique<EffectChain>(std::move(slots));
}

struct Device {
    explicit Device(uint32_t frames)
        : left(frames), right(frames), out{left.data(), right.data()} {}
    std::vector<float> left, right;
    float* out[2];
};

// A DC of 0.5 through a 0 dB gain chain, played past the start's fade-in.
void playDcPastTheFadeIn(EngineProcessor& processor, const float* const* in, Device& device) {
    processor.prepare({48000.0, 64, 2}, nullptr);
    ASSERT_TRUE(processor.setChain(gainChain(0.0f)));
    processor.requestFadeIn();
    for (int b = 0; b < 100; ++b) {
        processor.process(in, 2, device.out, 2, 64, false);
    }
}

TEST(EngineProcessorTest, ChainSwapFadesOutAndInWithoutAStep) {
    EngineProcessor processor;
    std::vector<float> dc(64, 0.5f);
    const float* in[2] = {dc.data(), dc.data()};
    Device device(64);
    playDcPastTheFadeIn(processor, in, device);
    ASSERT_FLOAT_EQ(device.left[63], 0.5f);

    ASSERT_TRUE(processor.setChain(gainChain(-20.0f)));  // 0.5 -> 0.05: a step if not faded
    // Fade steps are at most 1/(fade samples) of full scale; the input is 0.5.
    const float maxStep = 0.5f / static_cast<float>(48000.0 * SafetyStage::kFadeOutSeconds) * 1.01f;
    float previous = device.left[63];
    bool reachedSilence = false;
    for (int b = 0; b < 100; ++b) {
        processor.process(in, 2, device.out, 2, 64, false);
        for (uint32_t i = 0; i < 64; ++i) {
            ASSERT_LE(std::abs(device.left[i] - previous), maxStep) << "block " << b << " i " << i;
            previous = device.left[i];
            reachedSilence |= device.left[i] == 0.0f;
        }
    }
    EXPECT_TRUE(reachedSilence);  // the swap happened at silence
    EXPECT_NEAR(device.left[63], 0.05f, 1e-6f);
    EXPECT_EQ(processor.collectGarbage(), 1u);  // the old chain came back to be freed here
}

TEST(EngineProcessorTest, ASwapToANewEffectWithLatencyFadesInWhenItsOutputStartsNotBefore) {
    // A new limiter (5 ms look-ahead: its output starts 240 frames after its input) swapped in
    // while a DC of 0.5 plays: the output after the swap rises from silence without a step. Were
    // the fade-in done before the limiter's output began, the DC would start as a 0.5 step.
    EngineProcessor processor;
    std::vector<float> dc(64, 0.5f);
    const float* in[2] = {dc.data(), dc.data()};
    Device device(64);
    playDcPastTheFadeIn(processor, in, device);
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::make_unique<LimiterEffect>()));
    ASSERT_TRUE(processor.setChain(std::make_unique<EffectChain>(std::move(slots))));
    const float maxStep = 0.5f / static_cast<float>(48000.0 * SafetyStage::kFadeOutSeconds) * 1.01f;
    float previous = device.left[63];
    for (int b = 0; b < 100; ++b) {
        processor.process(in, 2, device.out, 2, 64, false);
        for (uint32_t i = 0; i < 64; ++i) {
            ASSERT_LE(std::abs(device.left[i] - previous), maxStep) << "block " << b << " i " << i;
            previous = device.left[i];
        }
    }
    EXPECT_NEAR(device.left[63], 0.5f, 1e-6f);  // under the limiter's ceiling: passed as is
}

TEST(EngineProcessorTest, ChainsSetWhileStoppedTakeEffectAtOnceWithoutQueueing) {
    EngineProcessor processor;
    processor.prepare({48000.0, 64, 1}, nullptr);
    std::vector<float> dc(64, 1.0f);
    const float* in[1] = {dc.data()};
    Device device(64);
    processor.requestFadeIn();
    processor.process(in, 1, device.out, 1, 64, false);  // it has streamed...
    processor.streamStopped();                           // ...and the device stopped
    // Far more edits than the hand-over queue holds: none may be refused.
    for (int i = 0; i < 3 * static_cast<int>(ChainHandover::kCapacity); ++i) {
        ASSERT_TRUE(processor.setChain(gainChain(-static_cast<float>(i % 40)))) << i;
    }
    ASSERT_TRUE(processor.setChain(gainChain(-20.0f)));
    processor.requestFadeIn();
    for (int b = 0; b < 100; ++b) {
        processor.process(in, 1, device.out, 1, 64, false);
    }
    EXPECT_NEAR(device.left[63], 0.1f, 1e-6f);  // the last chain set is the one running
}

TEST(EngineProcessorTest, AStartAskedToFadeInSlowlyRisesFromSilenceOverThatTime) {
    EngineProcessor processor;
    processor.prepare({48000.0, 64, 1}, nullptr);
    ASSERT_TRUE(processor.setChain(gainChain(0.0f)));
    std::vector<float> dc(64, 0.5f);
    const float* in[1] = {dc.data()};
    Device device(64);
    processor.requestFadeIn(2.0);
    // Output / input is the fade gain, n / 96000 at sample n, until it reaches 1 at 2 s.
    int64_t n = 0;
    for (int b = 0; b < 48000 * 3 / 64; ++b) {
        processor.process(in, 1, device.out, 1, 64, false);
        for (uint32_t i = 0; i < 64; ++i) {
            ++n;
            const double theory = 0.5 * std::min(1.0, static_cast<double>(n) / 96000.0);
            ASSERT_NEAR(device.left[i], theory, 1e-6) << "sample " << n;
        }
    }
    // Stopping (fade out) and starting again without asking: the usual short fade.
    processor.requestFadeOut();
    for (int b = 0; b < 100 && !processor.isFadedOut(); ++b) {
        processor.process(in, 1, device.out, 1, 64, false);
    }
    ASSERT_TRUE(processor.isFadedOut());
    processor.requestFadeIn();
    for (int b = 0; b < 24; ++b) {  // 32 ms, just past the 30 ms default
        processor.process(in, 1, device.out, 1, 64, false);
    }
    EXPECT_FLOAT_EQ(device.left[63], 0.5f);
}

TEST(EngineProcessorTest, DeviceBlocksLargerThanPreparedAreSplitNotDropped) {
    EngineProcessor processor;
    processor.prepare({48000.0, 32, 1}, std::make_unique<TestSignalGenerator>(
                                            TestSignalGenerator::Kind::Sine, 1000.0, 0.0f));
    processor.requestFadeIn();
    Device device(4096);
    for (int b = 0; b < 10; ++b) {
        processor.process(nullptr, 0, device.out, 1, 4096, false);
    }
    // A full-scale 1 kHz sine continues smoothly across the 32-frame sub-blocks.
    const float maxStep = static_cast<float>(2.0 * M_PI * 1000.0 / 48000.0) * 1.001f;
    for (uint32_t i = 1; i < 4096; ++i) {
        ASSERT_LE(std::abs(device.left[i] - device.left[i - 1]), maxStep);
    }
    const auto stats = processor.stats().snapshot(48000.0);
    EXPECT_EQ(stats.frames, 40960u);
    EXPECT_EQ(stats.callbacks, 10u);
}

TEST(EngineProcessorTest, TapsCarryPreAndPostChainAudio) {
    EngineProcessor processor;
    processor.prepare({48000.0, 64, 2}, nullptr);
    ASSERT_TRUE(processor.setChain(gainChain(-6.0206f)));
    processor.requestFadeIn();
    std::vector<float> dc(64, 0.8f);
    const float* in[2] = {dc.data(), dc.data()};
    Device device(64);
    for (int b = 0; b < 100; ++b) {
        processor.process(in, 2, device.out, 2, 64, false);
    }
    std::vector<float> preL(64), preR(64), postL(64), postR(64);
    float* pre[2] = {preL.data(), preR.data()};
    float* post[2] = {postL.data(), postR.data()};
    auto& preTap = processor.taps().analysis(Tap::Pre);
    auto& postTap = processor.taps().analysis(Tap::Post);
    while (preTap.availableFrames() > 64) {  // keep the newest block
        preTap.pop(pre, 64);
        postTap.pop(post, 64);
    }
    ASSERT_EQ(preTap.pop(pre, 64), 64u);
    ASSERT_EQ(postTap.pop(post, 64), 64u);
    EXPECT_FLOAT_EQ(preL[63], 0.8f);
    EXPECT_NEAR(postL[63], 0.4f, 1e-6f);
}

TEST(EngineProcessorTest, RecordTapsAreFedOnlyWhileEnabled) {
    EngineProcessor processor;
    processor.prepare({48000.0, 64, 1}, nullptr);
    Device device(64);
    processor.process(nullptr, 0, device.out, 1, 64, false);
    EXPECT_EQ(processor.taps().record(Tap::Post).availableFrames(), 0u);
    processor.taps().setRecordEnabled(Tap::Post, true);
    processor.process(nullptr, 0, device.out, 1, 64, false);
    EXPECT_EQ(processor.taps().record(Tap::Post).availableFrames(), 64u);
    EXPECT_EQ(processor.taps().record(Tap::Pre).availableFrames(), 0u);
}

TEST(EngineProcessorTest, ChainLongerThanTheLimitIsRefusedWithASentence) {
    EngineProcessor processor;
    processor.prepare({48000.0, 64, 1}, nullptr);
    std::vector<std::shared_ptr<EffectSlot>> slots;
    for (size_t i = 0; i <= EffectChain::kMaxLength; ++i) {
        slots.push_back(std::make_shared<EffectSlot>(std::make_unique<GainEffect>()));
    }
    const Status status = processor.setChain(std::make_unique<EffectChain>(std::move(slots)));
    EXPECT_FALSE(status);
    EXPECT_NE(status.error().find("at most 64"), std::string::npos) << status.error();
}

std::unique_ptr<EffectChain> probeChain(test::ReferenceProbe*& probe) {
    auto owned = std::make_unique<test::ReferenceProbe>();
    probe = owned.get();
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::move(owned)));
    return std::make_unique<EffectChain>(std::move(slots));
}

// Device blocks of 100 frames over a processor prepared for 32 (split into 32+32+32+4), two
// distinct ramps as input and the same two as reference: the probe's difference is exactly zero
// in every sub-block, so the reference sub-block lines up with the input's, channel by channel.
// A reference one frame late, or the channels swapped, leaves the ramp's step or their gap.
TEST(EngineProcessorTest, ReferenceReachesTheEffectsFrameExactWithTheInputOfTheSameFrames) {
    const auto run = [](int lateBy, bool swapped) {
        EngineProcessor processor;
        processor.prepare({48000.0, 32, 2}, nullptr);
        test::ReferenceProbe* probe = nullptr;
        EXPECT_TRUE(processor.setChain(probeChain(probe)));
        processor.requestFadeIn();
        std::vector<float> left(100), right(100), farLeft(100), farRight(100);
        Device device(100);
        for (int b = 0; b < 20; ++b) {
            for (int i = 0; i < 100; ++i) {
                const int n = 100 * b + i;
                left[i] = 1e-4f * static_cast<float>(n);
                right[i] = -0.5f + 2e-4f * static_cast<float>(n);
                farLeft[i] = 1e-4f * static_cast<float>(n - lateBy);
                farRight[i] = -0.5f + 2e-4f * static_cast<float>(n - lateBy);
            }
            const float* in[2] = {left.data(), right.data()};
            const float* far[2] = {swapped ? farRight.data() : farLeft.data(),
                                   swapped ? farLeft.data() : farRight.data()};
            processor.process(in, 2, far, 2, device.out, 2, 100, false);
        }
        EXPECT_EQ(probe->processes(), 20u * 4u);
        EXPECT_EQ(probe->referencesWithChannels(), 20u * 4u);
        EXPECT_EQ(probe->unannounced(), 0u);
        EXPECT_GT(probe->inputPeak(), 0.19f);
        return probe->outputPeak();
    };
    EXPECT_EQ(run(0, false), 0.0f);
    EXPECT_NEAR(run(1, false), 2e-4f, 1e-6f);  // the right ramp's step
    EXPECT_GT(run(0, true), 0.4f);
}

// A mono far end feeds every processing channel, as a mono input does.
TEST(EngineProcessorTest, AMonoReferenceIsHandedToEveryChannel) {
    EngineProcessor processor;
    processor.prepare({48000.0, 64, 2}, nullptr);
    test::ReferenceProbe* probe = nullptr;
    ASSERT_TRUE(processor.setChain(probeChain(probe)));
    std::vector<float> voice(64);
    for (int i = 0; i < 64; ++i) {
        voice[i] = std::sin(0.1f * static_cast<float>(i));
    }
    const float* in[1] = {voice.data()};
    Device device(64);
    processor.process(in, 1, in, 1, device.out, 2, 64, false);
    EXPECT_EQ(probe->lastReference().channelCount(), 2u);
    EXPECT_GT(probe->inputPeak(), 0.9f);
    EXPECT_EQ(probe->outputPeak(), 0.0f);
}

// The callers without a reference (RtAudio's backends, the null device, benchmarks) keep the
// old call, and every effect is handed an empty reference: nothing is subtracted.
TEST(EngineProcessorTest, WithoutAReferenceTheEffectsAreHandedAnEmptyOne) {
    EngineProcessor processor;
    processor.prepare({48000.0, 64, 2}, nullptr);
    test::ReferenceProbe* probe = nullptr;
    ASSERT_TRUE(processor.setChain(probeChain(probe)));
    processor.requestFadeIn();
    std::vector<float> dc(64, 0.5f);
    const float* in[2] = {dc.data(), dc.data()};
    Device device(64);
    for (int b = 0; b < 100; ++b) {
        processor.process(in, 2, device.out, 2, 64, b == 0);
    }
    processor.process(in, 2, nullptr, 0, device.out, 2, 64, false);
    EXPECT_EQ(probe->references(), 101u);
    EXPECT_EQ(probe->referencesWithChannels(), 0u);
    EXPECT_EQ(probe->lastReference().channelCount(), 0u);
    EXPECT_FLOAT_EQ(device.left[63], 0.5f);
}

}  // namespace
}  // namespace liverack::core
