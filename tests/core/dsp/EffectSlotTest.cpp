// EffectSlot: bypass is bit-exact once settled and crossfades without a jump while switching.
// EffectChain: gains multiply; the reference reaches every slot's effect before it processes
// (bypassed slots too), and an absent or ill-sized one arrives as an empty block.
#include "core/dsp/EffectSlot.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectChain.h"
#include "core/dsp/effects/GainEffect.h"
#include "tests/support/ReferenceProbe.h"

namespace liverack::core {
namespace {

void fillSine(AudioBuffer& buffer, double& phase, double increment) {
    for (uint32_t i = 0; i < buffer.frameCount(); ++i) {
        const float s = static_cast<float>(0.5 * std::sin(phase));
        phase += increment;
        for (uint32_t c = 0; c < buffer.channelCount(); ++c) {
            buffer.channel(c)[i] = s;
        }
    }
}

class EffectSlotAtRates : public ::testing::TestWithParam<double> {};

TEST_P(EffectSlotAtRates, BypassedSlotIsBitExactAndSwitchingNeverJumps) {
    const double rate = GetParam();
    auto gain = std::make_unique<GainEffect>();
    gain->parameters().set(GainEffect::kGainDb, -20.0f);
    EffectSlot slot(std::move(gain), true);
    slot.prepare({rate, 64, 2});
    AudioBuffer buffer(2, 64);
    AudioBuffer input(2, 64);
    double phase = 0.0;
    const double increment = 2.0 * M_PI * 100.0 / rate;  // slow sine: input steps are tiny

    fillSine(input, phase, increment);
    buffer.block().copyFrom(input.block());
    slot.process(buffer.block());
    for (uint32_t i = 0; i < 64; ++i) {
        ASSERT_EQ(buffer.channel(0)[i], input.channel(0)[i]);  // bit-exact while bypassed
    }
    EXPECT_EQ(slot.latencyFrames(), 0u);

    // Switch in: output moves from dry to -20 dB within the fade with no step bigger than the
    // fade allows (difference between dry and wet, per fade sample, plus the sine's own step).
    slot.setBypassed(false);
    const double fadeSamples = rate * EffectSlot::kBypassFadeSeconds;
    const float maxSineStep = static_cast<float>(0.5 * increment);
    const float allowed = static_cast<float>(0.5 * 0.9 / fadeSamples) + maxSineStep + 1e-6f;
    float previous = buffer.channel(0)[63];
    const int blocks = static_cast<int>(fadeSamples / 64) + 3;
    for (int b = 0; b < blocks; ++b) {
        fillSine(input, phase, increment);
        buffer.block().copyFrom(input.block());
        slot.process(buffer.block());
        for (uint32_t i = 0; i < 64; ++i) {
            ASSERT_LE(std::abs(buffer.channel(0)[i] - previous), allowed) << "block " << b;
            previous = buffer.channel(0)[i];
        }
    }
    // Settled: the effect is fully in.
    for (uint32_t i = 0; i < 64; ++i) {
        EXPECT_NEAR(buffer.channel(0)[i], input.channel(0)[i] * 0.1f, 1e-6f);
    }
}

INSTANTIATE_TEST_SUITE_P(Rates, EffectSlotAtRates, ::testing::Values(44100.0, 48000.0, 96000.0));

TEST(EffectChainTest, EmptyChainPassesAudioUnchanged) {
    EffectChain chain;
    chain.prepare({48000.0, 32, 2});
    AudioBuffer buffer(2, 32);
    for (uint32_t i = 0; i < 32; ++i) {
        buffer.channel(0)[i] = static_cast<float>(i);
        buffer.channel(1)[i] = -static_cast<float>(i);
    }
    chain.process(buffer.block());
    for (uint32_t i = 0; i < 32; ++i) {
        EXPECT_EQ(buffer.channel(0)[i], static_cast<float>(i));
        EXPECT_EQ(buffer.channel(1)[i], -static_cast<float>(i));
    }
    EXPECT_EQ(chain.latencyFrames(), 0u);
}

TEST(EffectChainTest, GainsInSeriesMultiply) {
    std::vector<std::shared_ptr<EffectSlot>> slots;
    for (float db : {-6.0f, -14.0f}) {
        auto gain = std::make_unique<GainEffect>();
        gain->parameters().set(GainEffect::kGainDb, db);
        slots.push_back(std::make_shared<EffectSlot>(std::move(gain)));
    }
    EffectChain chain(std::move(slots));
    chain.prepare({44100.0, 16, 1});
    AudioBuffer buffer(1, 16);
    std::fill_n(buffer.channel(0), 16, 1.0f);
    chain.process(buffer.block());
    EXPECT_NEAR(20.0 * std::log10(buffer.channel(0)[15]), -20.0, 1e-4);
}

// Three probes, the middle one bypassed (and settled so): each of them is handed the very block
// the chain was given, before each block; the two that run each subtract it once.
TEST(EffectChainTest, EverySlotIsHandedTheReferenceBeforeItProcessesBypassedOnesToo) {
    std::vector<test::ReferenceProbe*> probes;
    std::vector<std::shared_ptr<EffectSlot>> slots;
    for (bool bypassed : {false, true, false}) {
        auto probe = std::make_unique<test::ReferenceProbe>();
        probes.push_back(probe.get());
        slots.push_back(std::make_shared<EffectSlot>(std::move(probe), bypassed));
    }
    EffectChain chain(std::move(slots));
    chain.prepare({48000.0, 32, 2});
    AudioBuffer buffer(2, 32);
    AudioBuffer reference(2, 32);
    for (int b = 0; b < 3; ++b) {
        for (uint32_t i = 0; i < 32; ++i) {
            buffer.channel(0)[i] = static_cast<float>(i);
            buffer.channel(1)[i] = 100.0f + static_cast<float>(i);
            reference.channel(0)[i] = 0.25f * static_cast<float>(b + 1);
            reference.channel(1)[i] = -0.5f * static_cast<float>(i);
        }
        chain.process(buffer.block(), reference.block());
        for (uint32_t i = 0; i < 32; ++i) {
            ASSERT_EQ(buffer.channel(0)[i],
                      static_cast<float>(i) - 0.5f * static_cast<float>(b + 1));
            ASSERT_EQ(buffer.channel(1)[i], 100.0f + static_cast<float>(i) + static_cast<float>(i));
        }
    }
    for (size_t p = 0; p < probes.size(); ++p) {
        SCOPED_TRACE("slot " + std::to_string(p));
        EXPECT_EQ(probes[p]->references(), 3u);
        EXPECT_EQ(probes[p]->referencesWithChannels(), 3u);
        EXPECT_EQ(probes[p]->unannounced(), 0u);
        EXPECT_EQ(probes[p]->lastReference().channels(), reference.block().channels());
        EXPECT_EQ(probes[p]->lastReference().channelCount(), 2u);
        EXPECT_EQ(probes[p]->lastReference().frameCount(), 32u);
    }
    EXPECT_EQ(probes[0]->processes(), 3u);
    EXPECT_EQ(probes[1]->processes(), 0u);  // bypassed: handed the reference, not run
    EXPECT_EQ(probes[2]->processes(), 3u);
}

// Without a reference the effects get an empty block every time, not the last one they saw.
TEST(EffectChainTest, WithoutAReferenceEveryEffectIsHandedAnEmptyBlock) {
    auto probe = std::make_unique<test::ReferenceProbe>();
    test::ReferenceProbe* seen = probe.get();
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::move(probe)));
    EffectChain chain(std::move(slots));
    chain.prepare({48000.0, 16, 1});
    AudioBuffer buffer(1, 16);
    AudioBuffer reference(1, 16);
    std::fill_n(reference.channel(0), 16, 0.5f);
    chain.process(buffer.block(), reference.block());
    ASSERT_EQ(seen->lastReference().channelCount(), 1u);

    std::fill_n(buffer.channel(0), 16, 0.75f);
    chain.process(buffer.block());
    EXPECT_EQ(seen->lastReference().channelCount(), 0u);
    EXPECT_EQ(seen->references(), 2u);
    EXPECT_EQ(seen->referencesWithChannels(), 1u);
    EXPECT_EQ(seen->unannounced(), 0u);
    for (uint32_t i = 0; i < 16; ++i) {
        EXPECT_EQ(buffer.channel(0)[i], 0.75f);  // nothing subtracted
    }
}

// A reference shorter than the block would be read past its end: it is withheld instead.
TEST(EffectChainTest, AReferenceOfAnotherLengthThanTheBlockIsHandedOverAsEmpty) {
    auto probe = std::make_unique<test::ReferenceProbe>();
    test::ReferenceProbe* seen = probe.get();
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::move(probe)));
    EffectChain chain(std::move(slots));
    chain.prepare({48000.0, 64, 2});
    AudioBuffer buffer(2, 64);
    AudioBuffer reference(2, 32);
    chain.process(buffer.block(), reference.block());
    EXPECT_EQ(seen->lastReference().channelCount(), 0u);
    EXPECT_EQ(seen->references(), 1u);
}

}  // namespace
}  // namespace liverack::core
