// The Effect contract (DESIGN.md), checked for EVERY registered effect type at 44.1, 48 and
// 96 kHz and at blocks of 1, 64 and 1024 frames: output stays finite on noise while every
// parameter jumps at random each block, reset() brings an effect back to exactly the state of a
// fresh one, and the metadata the GUI and presets rely on is consistent.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <tuple>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "tests/support/RandomParameters.h"

namespace liverack::core {
namespace {

using TypeRateBlock = std::tuple<std::string, double, uint32_t>;

void fillNoise(AudioBlock block, std::mt19937& random) {
    std::uniform_real_distribution<float> sample(-1.0f, 1.0f);
    for (uint32_t c = 0; c < block.channelCount(); ++c) {
        for (uint32_t i = 0; i < block.frameCount(); ++i) {
            block.channel(c)[i] = sample(random);
        }
    }
}

class EveryEffect : public ::testing::TestWithParam<TypeRateBlock> {};

TEST_P(EveryEffect, OutputStaysFiniteWhileParametersJumpEveryBlock) {
    const auto& [type, rate, maxBlock] = GetParam();
    auto effect = EffectFactory::create(type);
    ASSERT_NE(effect, nullptr);
    effect->prepare({22050.0, 16, 1});  // prepared before for another stream: must re-prepare
    const uint32_t channels = 2;
    effect->prepare({rate, maxBlock, channels});
    effect->reset();
    EXPECT_LT(effect->latencyFrames(), static_cast<uint32_t>(rate)) << "latency over a second";

    std::mt19937 random(7);
    AudioBuffer buffer(channels, maxBlock);
    // About a quarter second of audio, at least 24 blocks; every third block is shorter than the
    // maximum, as a host may deliver.
    const uint32_t total = std::max<uint32_t>(static_cast<uint32_t>(rate / 4), 24 * maxBlock);
    uint32_t done = 0;
    for (int b = 0; done < total; ++b) {
        test::randomiseParameters(effect->parameters(), random);
        const uint32_t frames =
            b % 3 == 2 ? std::uniform_int_distribution<uint32_t>(1, maxBlock)(random) : maxBlock;
        const AudioBlock block = buffer.block(frames);
        fillNoise(block, random);
        effect->process(block);
        for (uint32_t c = 0; c < channels; ++c) {
            for (uint32_t i = 0; i < frames; ++i) {
                ASSERT_TRUE(std::isfinite(block.channel(c)[i]))
                    << type << ": sample " << done + i << " of channel " << c;
            }
        }
        done += frames;
    }
}

TEST_P(EveryEffect, ResetReturnsToTheStateOfAFreshEffect) {
    const auto& [type, rate, maxBlock] = GetParam();
    std::mt19937 random(11);
    auto used = EffectFactory::create(type);
    auto fresh = EffectFactory::create(type);
    ASSERT_NE(used, nullptr);
    test::randomiseParameters(used->parameters(), random);
    fresh->parameters().copyFrom(used->parameters());
    const ProcessSpec spec{rate, maxBlock, 2};
    used->prepare(spec);
    fresh->prepare(spec);
    fresh->reset();

    AudioBuffer a(2, maxBlock);
    AudioBuffer b(2, maxBlock);
    const uint32_t blocks = std::max<uint32_t>(8, static_cast<uint32_t>(rate / 10) / maxBlock);
    for (uint32_t n = 0; n < blocks; ++n) {  // fill delay lines, envelopes, LFO phases
        fillNoise(a.block(), random);
        used->process(a.block());
    }
    used->reset();

    if (!used->info().resetIsExact) {
        // What reset must guarantee still holds: nothing of the earlier audio comes out
        // afterwards (silence in, silence out, through the whole latency).
        const uint32_t silentBlocks = blocks + (used->latencyFrames() + 4 * rate / 10) / maxBlock;
        for (uint32_t n = 0; n < silentBlocks; ++n) {
            a.block().clear();
            used->process(a.block());
            for (uint32_t c = 0; c < 2; ++c) {
                for (uint32_t i = 0; i < maxBlock; ++i) {
                    ASSERT_EQ(a.channel(c)[i], 0.0f)
                        << type << ": tail after reset, block " << n << ", frame " << i;
                }
            }
        }
        return;
    }

    for (uint32_t n = 0; n < blocks; ++n) {
        fillNoise(a.block(), random);
        b.block().copyFrom(a.block());
        used->process(a.block());
        fresh->process(b.block());
        for (uint32_t c = 0; c < 2; ++c) {
            for (uint32_t i = 0; i < maxBlock; ++i) {
                ASSERT_NEAR(a.channel(c)[i], b.channel(c)[i], 1e-5f)
                    << type << ": block " << n << ", frame " << i << ", channel " << c;
            }
        }
    }
}

std::string caseName(const ::testing::TestParamInfo<TypeRateBlock>& info) {
    const auto& [type, rate, block] = info.param;
    return type + "_" + std::to_string(static_cast<int>(rate)) + "Hz_block" + std::to_string(block);
}

INSTANTIATE_TEST_SUITE_P(Registered, EveryEffect,
                         ::testing::Combine(::testing::ValuesIn(EffectFactory::typeIds()),
                                            ::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)),
                         caseName);

class EveryEffectType : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryEffectType, MetadataIsConsistent) {
    const EffectInfo* info = EffectFactory::info(GetParam());
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->typeId, GetParam());
    EXPECT_TRUE(std::regex_match(info->typeId, std::regex("[a-z][a-z0-9_]*")));
    EXPECT_FALSE(info->displayName.empty());
    const auto effect = EffectFactory::create(GetParam());
    ASSERT_NE(effect, nullptr);
    EXPECT_EQ(&effect->info(), info) << "the factory and the effect disagree about the metadata";
    EXPECT_EQ(effect->parameters().size(), info->parameters.size());

    std::set<std::string> ids;
    for (const ParameterInfo& p : info->parameters) {
        SCOPED_TRACE(GetParam() + "." + p.id);
        EXPECT_TRUE(ids.insert(p.id).second) << "parameter id used twice";
        EXPECT_TRUE(std::regex_match(p.id, std::regex("[a-z][a-z0-9_.]*")));
        EXPECT_FALSE(p.name.empty());
        EXPECT_LT(p.minValue, p.maxValue);
        EXPECT_GE(p.defaultValue, p.minValue);
        EXPECT_LE(p.defaultValue, p.maxValue);
        EXPECT_EQ(p.constrain(p.defaultValue), p.defaultValue) << "the default is not legal";
        if (p.skew == ParameterSkew::Logarithmic) {
            EXPECT_GT(p.minValue, 0.0f) << "a logarithmic range must start above zero";
        }
        if (p.step > 0.0f) {
            const float steps = (p.maxValue - p.minValue) / p.step;
            EXPECT_FLOAT_EQ(steps, std::round(steps)) << "the maximum is not on a step";
        }
        switch (p.kind) {
            case ParameterKind::Choice:
                ASSERT_FALSE(p.choices.empty());
                EXPECT_EQ(p.maxValue, static_cast<float>(p.choices.size() - 1));
                EXPECT_EQ(std::set<std::string>(p.choices.begin(), p.choices.end()).size(),
                          p.choices.size())
                    << "a choice name is used twice";
                for (const auto& choice : p.choices) {
                    EXPECT_FALSE(choice.empty());
                }
                break;
            case ParameterKind::Toggle:
                EXPECT_EQ(p.minValue, 0.0f);
                EXPECT_EQ(p.maxValue, 1.0f);
                break;
            case ParameterKind::Continuous:
                EXPECT_TRUE(p.choices.empty());
                break;
        }
        const int index = info->indexOf(p.id);
        ASSERT_GE(index, 0);
        EXPECT_EQ(effect->parameters().get(static_cast<size_t>(index)), p.defaultValue)
            << "a new effect does not start at the default";
    }
}

INSTANTIATE_TEST_SUITE_P(Registered, EveryEffectType, ::testing::ValuesIn(EffectFactory::typeIds()),
                         [](const auto& info) { return info.param; });

TEST(EffectFactoryTest, TypeIdsAreUniqueAndEachCreatesItsType) {
    const auto& ids = EffectFactory::typeIds();
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
    for (const auto& id : ids) {
        const auto effect = EffectFactory::create(id);
        ASSERT_NE(effect, nullptr) << id;
        EXPECT_EQ(effect->info().typeId, id);
    }
    EXPECT_EQ(EffectFactory::create("no_such_effect"), nullptr);
    EXPECT_EQ(EffectFactory::info("no_such_effect"), nullptr);
}

}  // namespace
}  // namespace liverack::core
