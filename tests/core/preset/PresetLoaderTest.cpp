// PresetLoader: for every registered effect type, random legal values of every parameter survive
// chain -> preset -> file -> preset -> chain bit for bit; a preset with any error yields no chain.
#include "core/preset/PresetLoader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "core/dsp/EffectFactory.h"
#include "core/preset/PresetWriter.h"
#include "tests/support/RandomParameters.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

using ::testing::HasSubstr;

bool sameBits(float a, float b) {
    return std::memcmp(&a, &b, sizeof(float)) == 0;
}

class EveryEffectType : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryEffectType, RandomParametersRoundTripThroughAFileExactly) {
    test::TempFolder folder;
    std::mt19937 random(1234);
    for (int trial = 0; trial < 20; ++trial) {
        auto effect = EffectFactory::create(GetParam());
        ASSERT_NE(effect, nullptr);
        ParameterSet& parameters = effect->parameters();
        for (size_t i = 0; i < parameters.size(); ++i) {
            parameters.set(i, test::randomLegalValue(parameters.info(i), random));
        }
        const bool bypass = trial % 2 == 1;
        EffectChain original({std::make_shared<EffectSlot>(std::move(effect), bypass)});

        const std::string path = folder.file("round-trip.json");
        const Preset saved = PresetLoader::fromChain(original, "trial");
        ASSERT_TRUE(PresetWriter::save(saved, path).ok());
        auto loaded = PresetLoader::load(path);
        ASSERT_TRUE(loaded.ok()) << loaded.error();
        EXPECT_TRUE(loaded->warnings.empty()) << loaded->warnings.at(0);
        EXPECT_EQ(loaded->preset, saved);

        ASSERT_EQ(loaded->chain->size(), 1u);
        const EffectSlot& slot = *loaded->chain->slots()[0];
        EXPECT_EQ(slot.isBypassed(), bypass);
        EXPECT_EQ(slot.effect().info().typeId, GetParam());
        const ParameterSet& before = original.slots()[0]->effect().parameters();
        const ParameterSet& after = slot.effect().parameters();
        for (size_t i = 0; i < before.size(); ++i) {
            EXPECT_TRUE(sameBits(before.get(i), after.get(i)))
                << GetParam() << "." << before.info(i).id << ": saved " << before.get(i)
                << ", loaded " << after.get(i);
        }
    }
}

TEST_P(EveryEffectType, ParametersLeftOutTakeTheirDefaults) {
    Preset preset;
    preset.chain.push_back({GetParam(), false, {}});
    auto chain = PresetLoader::buildChain(preset);
    ASSERT_TRUE(chain.ok()) << chain.error();
    const ParameterSet& parameters = (*chain)->slots().at(0)->effect().parameters();
    for (size_t i = 0; i < parameters.size(); ++i) {
        EXPECT_EQ(parameters.get(i), parameters.info(i).defaultValue) << parameters.info(i).id;
    }
}

INSTANTIATE_TEST_SUITE_P(Registered, EveryEffectType, ::testing::ValuesIn(EffectFactory::typeIds()),
                         [](const auto& info) { return info.param; });

TEST(PresetLoaderTest, ChainOfEveryTypeRoundTripsInOrder) {
    test::TempFolder folder;
    std::mt19937 random(99);
    std::vector<std::shared_ptr<EffectSlot>> slots;
    for (const auto& type : EffectFactory::typeIds()) {
        auto effect = EffectFactory::create(type);
        for (size_t i = 0; i < effect->parameters().size(); ++i) {
            effect->parameters().set(i,
                                     test::randomLegalValue(effect->parameters().info(i), random));
        }
        slots.push_back(std::make_shared<EffectSlot>(std::move(effect), slots.size() % 3 == 0));
    }
    const EffectChain chain(slots);
    const Preset saved = PresetLoader::fromChain(chain, "everything");
    ASSERT_TRUE(PresetWriter::save(saved, folder.file("all.json")).ok());
    auto loaded = PresetLoader::load(folder.file("all.json"));
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    EXPECT_EQ(loaded->preset, saved);
    ASSERT_EQ(loaded->chain->size(), slots.size());
    for (size_t s = 0; s < slots.size(); ++s) {
        EXPECT_EQ(loaded->chain->slots()[s]->effect().info().typeId,
                  slots[s]->effect().info().typeId);
        EXPECT_EQ(loaded->chain->slots()[s]->isBypassed(), slots[s]->isBypassed());
    }
}

TEST(PresetLoaderTest, AnErrorInTheLastEffectYieldsNoChainAtAll) {
    test::TempFolder folder;
    const std::string path = folder.write("p.json", R"({"format": "liverack-preset", "version": 1,
        "chain": [{"type": "gain", "params": {"gain_db": -3}},
                  {"type": "gain", "params": {"gain_db": -3}},
                  {"type": "gain", "params": {"mute": "no"}}]})");
    const auto loaded = PresetLoader::load(path);
    ASSERT_FALSE(loaded.ok());
    EXPECT_THAT(loaded.error(), HasSubstr(path));
    EXPECT_THAT(loaded.error(), HasSubstr("chain[2] (gain), parameter \"mute\""));
}

TEST(PresetLoaderTest, WarningsComeWithTheChainAndValuesAreClamped) {
    test::TempFolder folder;
    const std::string path = folder.write("p.json", R"({"format": "liverack-preset", "version": 1,
                      "chain": [{"type": "gain", "params": {"gain_db": 100}}]})");
    auto loaded = PresetLoader::load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    ASSERT_EQ(loaded->warnings.size(), 1u);
    EXPECT_THAT(loaded->warnings[0], HasSubstr("clamped"));
    EXPECT_EQ(loaded->chain->slots().at(0)->effect().parameters().get(0), 24.0f);
}

TEST(PresetLoaderTest, BuildingAnUnknownTypeFailsWithASentence) {
    Preset preset;
    preset.chain.push_back({"gain", false, {}});
    preset.chain.push_back({"nosuch", false, {}});
    const auto chain = PresetLoader::buildChain(preset);
    ASSERT_FALSE(chain.ok());
    EXPECT_THAT(chain.error(), HasSubstr("chain[1] (nosuch)"));
}

TEST(PresetLoaderTest, EmptyChainMakesAnEmptyPresetAndBack) {
    const EffectChain empty;
    const Preset preset = PresetLoader::fromChain(empty, "nothing");
    EXPECT_EQ(preset.name, "nothing");
    EXPECT_TRUE(preset.chain.empty());
    auto chain = PresetLoader::buildChain(preset);
    ASSERT_TRUE(chain.ok());
    EXPECT_EQ((*chain)->size(), 0u);
}

}  // namespace
}  // namespace liverack::core
