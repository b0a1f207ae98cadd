// The presets shipped in resources/presets (one per effect type, at least) and the benchmark
// presets load without errors or warnings and render a file to finite audio of the same length.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <random>

#include "core/dsp/EffectFactory.h"
#include "core/io/OfflineRenderer.h"
#include "core/preset/PresetLoader.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

std::vector<std::string> presetFiles() {
    std::vector<std::string> files;
    for (const char* folder : {LIVERACK_FACTORY_PRESET_DIR, LIVERACK_BENCH_PRESET_DIR}) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
            if (entry.path().extension() == ".json") {
                files.push_back(entry.path().string());
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

TEST(FactoryPresetsTest, EveryEffectTypeHasAFactoryPresetUsingIt) {
    for (const auto& type : EffectFactory::typeIds()) {
        // File names are kebab-case (PresetLibraryTest): echo_cancel lives in echo-cancel.json.
        std::string stem = type;
        std::replace(stem.begin(), stem.end(), '_', '-');
        const std::string path = std::string(LIVERACK_FACTORY_PRESET_DIR) + "/" + stem + ".json";
        auto loaded = PresetLoader::load(path);
        ASSERT_TRUE(loaded.ok()) << loaded.error();
        bool uses = false;
        for (const auto& effect : loaded->preset.chain) {
            uses = uses || effect.type == type;
        }
        EXPECT_TRUE(uses) << path << " does not use " << type;
        EXPECT_FALSE(loaded->preset.name.empty()) << path;
    }
}

class EveryShippedPreset : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryShippedPreset, LoadsWithoutWarningsAndRendersFiniteAudio) {
    auto loaded = PresetLoader::load(GetParam());
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    for (const auto& warning : loaded->warnings) {
        ADD_FAILURE() << warning;
    }

    // Half a second of noise at -12 dBFS with a full-scale click in it.
    test::TempFolder folder;
    std::mt19937 random(3);
    std::uniform_real_distribution<float> sample(-0.25f, 0.25f);
    std::vector<std::vector<float>> input(2, std::vector<float>(24000));
    for (auto& channel : input) {
        for (auto& s : channel) {
            s = sample(random);
        }
        channel[12000] = 1.0f;
    }
    ASSERT_TRUE(test::writeFloatWav(folder.file("in.wav"), 48000.0, input));
    const auto rendered =
        OfflineRenderer::render(*loaded->chain, folder.file("in.wav"), folder.file("out.wav"));
    ASSERT_TRUE(rendered.ok()) << rendered.error();
    EXPECT_EQ(rendered->nonFiniteSamples, 0);
    const auto output = test::readAudio(folder.file("out.wav"));
    ASSERT_EQ(output.channels.size(), 2u);
    ASSERT_EQ(output.frames(), input[0].size());
    double energy = 0.0;
    for (const auto& channel : output.channels) {
        for (const float s : channel) {
            ASSERT_TRUE(std::isfinite(s));
            energy += double(s) * s;
        }
    }
    EXPECT_GT(energy, 0.0) << "the preset turned the test signal into silence";
}

INSTANTIATE_TEST_SUITE_P(Shipped, EveryShippedPreset, ::testing::ValuesIn(presetFiles()),
                         [](const auto& info) {
                             std::string name = std::filesystem::path(info.param).stem().string();
                             for (auto& c : name) {
                                 c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                             }
                             return name;
                         });

}  // namespace
}  // namespace liverack::core
