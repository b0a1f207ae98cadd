// Presets with LV2 slots (real plugins from x42-plugins): they save, read back and render
// bit-identically; a plugin's latency is compensated by render exactly like a built-in effect's;
// a plugin that is not installed, an unknown port symbol and an out-of-range value get the
// sentences every preset error gets, and nothing is half built. Plugin state survives JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lv2/atom/atom.h>

#include <cmath>
#include <cstring>
#include <random>

#include "core/dsp/EffectFactory.h"
#include "core/dsp/lv2/Lv2Effect.h"
#include "core/io/OfflineRenderer.h"
#include "core/preset/PluginStateJson.h"
#include "core/preset/PresetLoader.h"
#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"
#include "tests/support/SndfileIo.h"
#include "tests/support/TempFolder.h"

namespace liverack::test {
namespace {

using core::Preset;
using core::PresetEffect;
using ::testing::HasSubstr;

constexpr const char* kAutotune = "http://gareus.org/oss/lv2/fat1";
constexpr const char* kLimiter = "http://gareus.org/oss/lv2/dpl#stereo";
constexpr const char* kEqMono = "http://gareus.org/oss/lv2/fil4#mono";
constexpr const char* kDelayLine = "http://gareus.org/oss/lv2/nodelay";

PresetEffect plugin(const char* uri, std::map<std::string, float> params) {
    PresetEffect effect;
    effect.type = "lv2";
    effect.uri = uri;
    effect.params = std::move(params);
    return effect;
}

std::vector<std::vector<float>> testMusic(double rate, size_t frames) {
    std::mt19937 random(11);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    std::vector<std::vector<float>> channels(2, std::vector<float>(frames));
    for (size_t i = 0; i < frames; ++i) {
        const double t = double(i) / rate;
        channels[0][i] = float(0.3 * std::sin(2 * M_PI * 447.0 * t)) + noise(random);
        channels[1][i] = float(0.3 * std::sin(2 * M_PI * 220.0 * t)) + noise(random);
    }
    return channels;
}

std::vector<std::vector<float>> render(const Preset& preset, const std::string& in,
                                       const std::string& out) {
    auto chain = core::PresetLoader::buildChain(preset);
    EXPECT_TRUE(chain) << (chain ? "" : chain.error());
    if (!chain) {
        return {};
    }
    auto done = core::OfflineRenderer::render(**chain, in, out);
    EXPECT_TRUE(done) << (done ? "" : done.error());
    return readAudio(out).channels;
}

TEST(Lv2Preset, APresetWithPluginSlotsSavesReadsBackAndRendersBitIdentically) {
    Preset preset;
    preset.name = "plugins";
    preset.chain.push_back(plugin(kEqMono, {{"sec1", 1.0f}, {"freq1", 2500.0f}, {"gain1", 4.5f}}));
    preset.chain.push_back(plugin(kAutotune, {{"corr", 0.8f}, {"mode", 0.0f}}));
    PresetEffect gain;
    gain.type = "gain";
    gain.params = {{"gain_db", 6.0f}};
    preset.chain.push_back(gain);
    preset.chain.push_back(plugin(kLimiter, {{"threshold", -2.0f}}));

    // The preset of a running chain names every parameter, the plugins' URIs and names.
    auto built = core::PresetLoader::buildChain(preset);
    ASSERT_TRUE(built) << built.error();
    const Preset saved = core::PresetLoader::fromChain(**built, "plugins");
    ASSERT_EQ(saved.chain.size(), 4u);
    EXPECT_EQ(saved.chain[1].uri, kAutotune);
    EXPECT_EQ(saved.chain[1].pluginName, "x42-Autotune");
    EXPECT_FLOAT_EQ(saved.chain[1].params.at("corr"), 0.8f);

    auto json = core::PresetWriter::toJson(saved);
    ASSERT_TRUE(json) << json.error();
    EXPECT_THAT(*json, HasSubstr("\"uri\": \"http://gareus.org/oss/lv2/fat1\""));
    const auto reread = core::PresetReader::readText(*json, "plugins.json");
    ASSERT_TRUE(reread) << reread.error();
    EXPECT_TRUE(reread->warnings.empty());
    EXPECT_EQ(reread->preset, saved) << "every value, URI and name reads back as saved";

    TempFolder folder;
    const std::string in = folder.file("in.wav");
    ASSERT_TRUE(writeFloatWav(in, 48000.0, testMusic(48000.0, 96000)));
    const auto first = render(saved, in, folder.file("a.wav"));
    const auto second = render(reread->preset, in, folder.file("b.wav"));
    ASSERT_EQ(first.size(), 2u);
    ASSERT_EQ(first[0].size(), 96000u);
    EXPECT_EQ(first, second) << "the same preset renders the same samples";
    EXPECT_NE(first[0], testMusic(48000.0, 96000)[0]) << "and the plugins did something";
}

TEST(Lv2Preset, RenderCompensatesAPluginsLatencyExactlyLikeABuiltInEffects) {
    TempFolder folder;
    const double rate = 48000.0;
    const size_t at = 24000;  // after nodelay's glide from no delay to the one asked for
    std::vector<std::vector<float>> impulse(1, std::vector<float>(48000, 0.0f));
    impulse[0][at] = 0.5f;
    const std::string in = folder.file("impulse.wav");
    ASSERT_TRUE(writeFloatWav(in, rate, impulse));

    Preset preset;
    preset.name = "latency";
    preset.chain.push_back(plugin(kDelayLine, {{"delay", 300.0f}, {"report_latency", 1.0f}}));
    PresetEffect limiter;  // built in, 5 ms look-ahead
    limiter.type = "limiter";
    preset.chain.push_back(limiter);
    auto chain = core::PresetLoader::buildChain(preset);
    ASSERT_TRUE(chain) << chain.error();
    auto done = core::OfflineRenderer::render(**chain, in, folder.file("out.wav"));
    ASSERT_TRUE(done) << done.error();
    EXPECT_EQ(done->latencyFrames, 300u + 240u) << "nodelay's 300 and the limiter's 5 ms";
    const auto out = readAudio(folder.file("out.wav")).channels;
    ASSERT_EQ(out[0].size(), impulse[0].size());
    const auto peak = std::max_element(out[0].begin(), out[0].end()) - out[0].begin();
    EXPECT_EQ(static_cast<size_t>(peak), at) << "the impulse stays where it was";
    EXPECT_FLOAT_EQ(out[0][at], 0.5f);
}

TEST(Lv2Preset, APluginThatIsNotInstalledIsAnErrorNamingItsUriNameAndPackage) {
    const std::string text = R"({"format": "liverack-preset", "version": 1, "name": "t",
        "chain": [{"type": "gain"},
                  {"type": "lv2", "uri": "http://gareus.org/oss/lv2/missing", "name": "x42-Missing"}]})";
    const auto read = core::PresetReader::readText(text, "t.json");
    ASSERT_FALSE(read);
    EXPECT_THAT(read.error(), HasSubstr("chain[1] (lv2)"));
    EXPECT_THAT(read.error(), HasSubstr("http://gareus.org/oss/lv2/missing"));
    EXPECT_THAT(read.error(), HasSubstr("\"x42-Missing\""));
    EXPECT_THAT(read.error(), HasSubstr("x42-plugins"));

    Preset preset;
    preset.chain.push_back(PresetEffect{"gain", false, {}});
    preset.chain.push_back(plugin("urn:nowhere:plugin", {}));
    const auto chain = core::PresetLoader::buildChain(preset);
    ASSERT_FALSE(chain) << "no half-built chain";
    EXPECT_THAT(chain.error(), HasSubstr("urn:nowhere:plugin"));
}

TEST(Lv2Preset, AnUnknownPortSymbolIsAnErrorThatSuggestsTheNearestOne) {
    const std::string text = R"({"format": "liverack-preset", "version": 1, "name": "t",
        "chain": [{"type": "lv2", "uri": "http://gareus.org/oss/lv2/fat1", "params": {"corection": 1}}]})";
    const auto read = core::PresetReader::readText(text, "t.json");
    ASSERT_FALSE(read);
    EXPECT_THAT(read.error(), HasSubstr("parameter \"corection\""));
    EXPECT_THAT(read.error(), HasSubstr("not a control port of \"x42-Autotune\""));
    EXPECT_THAT(read.error(), HasSubstr("\"corr\""));
}

TEST(Lv2Preset, AValueOutsideThePortsRangeIsClampedAndWarned) {
    const std::string text = R"({"format": "liverack-preset", "version": 1, "name": "t",
        "chain": [{"type": "lv2", "uri": "http://gareus.org/oss/lv2/fat1",
                   "params": {"tuning": 500, "mode": 2, "fastmode": true}}]})";
    const auto read = core::PresetReader::readText(text, "t.json");
    ASSERT_TRUE(read) << read.error();
    EXPECT_FLOAT_EQ(read->preset.chain[0].params.at("tuning"), 480.0f);
    ASSERT_EQ(read->warnings.size(), 1u);
    EXPECT_THAT(read->warnings[0], HasSubstr("\"tuning\": 500 Hz is outside 400...480 Hz"));
    // An enumeration may be written as the port's own value: 2 is "Manual".
    const auto info = core::EffectFactory::info("lv2", kAutotune);
    const auto& mode = info->parameters[static_cast<size_t>(info->indexOf("mode"))];
    EXPECT_EQ(mode.choices[static_cast<size_t>(read->preset.chain[0].params.at("mode"))], "Manual");
}

TEST(Lv2Preset, PluginStateOfEveryAtomTypeSurvivesJsonByteForByte) {
    auto bytes = [](auto value) {
        std::vector<uint8_t> out(sizeof(value));
        std::memcpy(out.data(), &value, sizeof(value));
        return out;
    };
    core::PluginState state;
    state["urn:k:int"] = {LV2_ATOM__Int, bytes(int32_t{-7})};
    state["urn:k:long"] = {LV2_ATOM__Long, bytes(int64_t{1} << 40)};
    state["urn:k:float"] = {LV2_ATOM__Float, bytes(0.1f)};
    state["urn:k:double"] = {LV2_ATOM__Double, bytes(0.1)};
    state["urn:k:bool"] = {LV2_ATOM__Bool, bytes(int32_t{1})};
    state["urn:k:path"] = {LV2_ATOM__Path, {'/', 'i', 'r', '.', 'w', 'a', 'v', 0}};
    state["urn:k:blob"] = {"urn:some:blob", {0, 255, 1, 128, 7}};
    state["urn:k:empty"] = {"urn:some:blob", {}};
    const auto json = core::PluginStateJson::toJson(state);
    EXPECT_EQ(json["urn:k:path"]["value"], "/ir.wav");
    EXPECT_EQ(json["urn:k:int"]["value"], -7);
    EXPECT_EQ(json["urn:k:blob"]["base64"], "AP8BgAc=");
    std::vector<std::string> problems;
    const auto back = core::PluginStateJson::fromJson(nlohmann::json::parse(json.dump()), problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(back, state);
}

TEST(Lv2Preset, MalformedStateIsAnErrorNamingTheProperty) {
    const std::string text = R"({"format": "liverack-preset", "version": 1, "name": "t",
        "chain": [{"type": "lv2", "uri": "http://gareus.org/oss/lv2/fat1",
                   "state": {"urn:x:gain": {"type": "http://lv2plug.in/ns/ext/atom#Int", "value": "loud"}}}]})";
    const auto read = core::PresetReader::readText(text, "t.json");
    ASSERT_FALSE(read);
    EXPECT_THAT(read.error(), HasSubstr("property \"urn:x:gain\""));
    EXPECT_THAT(read.error(), HasSubstr("a whole number"));
}

}  // namespace
}  // namespace liverack::test
