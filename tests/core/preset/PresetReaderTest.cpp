// PresetReader: valid files read exactly; every class of bad input is refused (or, for numbers
// out of range, clamped) with a sentence that names the file, the chain index, the effect type
// and the parameter id.
#include "core/preset/PresetReader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <random>
#include <string>

#include "tests/core/preset/PresetTestSupport.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

using test::findParameter;
using test::oneEffectPreset;
using ::testing::HasSubstr;

class PresetReaderTest : public ::testing::Test {
protected:
    Result<ReadPreset> readText(const std::string& text, const std::string& name = "p.json") {
        path_ = folder_.write(name, text);
        return PresetReader::readFile(path_);
    }
    test::TempFolder folder_;
    std::string path_;
};

TEST_F(PresetReaderTest, ReadsNameBypassAndParameterValues) {
    const auto read = readText(R"({"format": "liverack-preset", "version": 1, "name": "Trim",
        "chain": [{"type": "gain", "bypass": true,
                   "params": {"gain_db": -6.5, "pan": 0.25, "mute": true}}]})");
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_TRUE(read->warnings.empty());
    EXPECT_EQ(read->preset.name, "Trim");
    ASSERT_EQ(read->preset.chain.size(), 1u);
    const PresetEffect& effect = read->preset.chain[0];
    EXPECT_EQ(effect.type, "gain");
    EXPECT_TRUE(effect.bypass);
    EXPECT_EQ(effect.params.at("gain_db"), -6.5f);
    EXPECT_EQ(effect.params.at("pan"), 0.25f);
    EXPECT_EQ(effect.params.at("mute"), 1.0f);
    EXPECT_EQ(effect.params.count("invert_left"), 0u);  // left out: keeps its default
}

TEST_F(PresetReaderTest, BypassDefaultsToOffAndNameToTheFileName) {
    const auto read =
        readText(R"({"format": "liverack-preset", "version": 1, "chain": [{"type": "gain"}]})",
                 "Quiet voice.json");
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_EQ(read->preset.name, "Quiet voice");
    EXPECT_FALSE(read->preset.chain.at(0).bypass);
    EXPECT_TRUE(read->preset.chain.at(0).params.empty());
}

TEST_F(PresetReaderTest, EmptyChainIsValid) {
    const auto read = readText(R"({"format": "liverack-preset", "version": 1, "chain": []})");
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_TRUE(read->preset.chain.empty());
}

TEST_F(PresetReaderTest, OutOfRangeNumberIsClampedWithAWarningNamingThePlace) {
    const auto read = readText(R"({"format": "liverack-preset", "version": 1, "chain": [
        {"type": "gain"}, {"type": "gain", "params": {"gain_db": 40, "pan": -3}}]})");
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_EQ(read->preset.chain[1].params.at("gain_db"), 24.0f);
    EXPECT_EQ(read->preset.chain[1].params.at("pan"), -1.0f);
    ASSERT_EQ(read->warnings.size(), 2u);
    EXPECT_THAT(read->warnings[0], HasSubstr(path_));
    EXPECT_THAT(read->warnings[0], HasSubstr("chain[1] (gain)"));
    EXPECT_THAT(read->warnings[0], HasSubstr("\"gain_db\""));
    EXPECT_THAT(read->warnings[0], HasSubstr("clamped to 24"));
    EXPECT_THAT(read->warnings[1], HasSubstr("\"pan\""));
}

TEST_F(PresetReaderTest, ValueWrittenAsTheDecimalOfABoundIsInRange) {
    // 0.1 is not exactly a float; the float nearest it is the bound itself, not beyond it.
    const auto found = findParameter([](const ParameterInfo& p) {
        return p.kind == ParameterKind::Continuous &&
               (p.maxValue != std::floor(p.maxValue) || p.minValue != std::floor(p.minValue));
    });
    ASSERT_TRUE(found) << "no registered parameter has a fractional bound";
    for (const float bound : {found->info->minValue, found->info->maxValue}) {
        char text[32];
        const auto end = std::to_chars(text, text + 32, bound).ptr;
        const auto read = readText(oneEffectPreset(
            found->type, "{\"" + found->info->id + "\": " + std::string(text, end) + "}"));
        ASSERT_TRUE(read.ok()) << read.error();
        EXPECT_TRUE(read->warnings.empty()) << read->warnings.at(0);
        EXPECT_EQ(read->preset.chain[0].params.at(found->info->id), bound);
    }
}

TEST_F(PresetReaderTest, SteppedNumberOffTheStepIsRoundedWithAWarning) {
    const auto found = findParameter([](const ParameterInfo& p) {
        return p.kind == ParameterKind::Continuous && p.step > 0.0f;
    });
    ASSERT_TRUE(found) << "no registered parameter is a stepped number (eq's bN.slope_db)";
    const ParameterInfo& p = *found->info;
    const float between = p.minValue + 0.4f * p.step;  // nearer the minimum than the next step
    const auto read = readText(
        oneEffectPreset(found->type, "{\"" + p.id + "\": " + std::to_string(between) + "}"));
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_EQ(read->preset.chain[0].params.at(p.id), p.minValue);
    ASSERT_EQ(read->warnings.size(), 1u);
    EXPECT_THAT(read->warnings[0], HasSubstr(p.id));
    EXPECT_THAT(read->warnings[0], HasSubstr("rounded"));
}

TEST_F(PresetReaderTest, SteppedNumberWrittenAsStringIsAnError) {
    const auto found = findParameter([](const ParameterInfo& p) {
        return p.kind == ParameterKind::Continuous && p.step > 0.0f;
    });
    ASSERT_TRUE(found) << "no registered parameter is a stepped number (eq's bN.slope_db)";
    const auto read =
        readText(oneEffectPreset(found->type, "{\"" + found->info->id + "\": \"24\"}"));
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr(path_));
    EXPECT_THAT(read.error(), HasSubstr("chain[0] (" + found->type + ")"));
    EXPECT_THAT(read.error(), HasSubstr(found->info->id));
    EXPECT_THAT(read.error(), HasSubstr("must be a number"));
}

TEST_F(PresetReaderTest, UnknownEffectTypeIsAnErrorNamingFileIndexAndType) {
    const auto read = readText(R"({"format": "liverack-preset", "version": 1, "chain": [
        {"type": "gain"}, {"type": "flangerator", "params": {}}]})");
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr(path_));
    EXPECT_THAT(read.error(), HasSubstr("chain[1] (flangerator)"));
    EXPECT_THAT(read.error(), HasSubstr("unknown effect type"));
    EXPECT_THAT(read.error(), HasSubstr("\"gain\""));  // lists what exists
}

TEST_F(PresetReaderTest, UnknownParameterIdIsAnErrorWithASuggestion) {
    const auto read = readText(oneEffectPreset("gain", R"({"gian_db": 3})"));
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr(path_));
    EXPECT_THAT(read.error(), HasSubstr("chain[0] (gain), parameter \"gian_db\""));
    EXPECT_THAT(read.error(), HasSubstr("did you mean \"gain_db\""));
}

TEST_F(PresetReaderTest, NumberForAToggleIsAnError) {
    const auto read = readText(oneEffectPreset("gain", R"({"mute": 1})"));
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr("chain[0] (gain), parameter \"mute\""));
    EXPECT_THAT(read.error(), HasSubstr("must be true or false, not the number 1"));
}

TEST_F(PresetReaderTest, StringForANumberIsAnError) {
    const auto read = readText(oneEffectPreset("gain", R"({"gain_db": "-6"})"));
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr("parameter \"gain_db\": must be a number"));
}

TEST_F(PresetReaderTest, ChoiceWrittenAsANumberIsAnError) {
    const auto found =
        findParameter([](const ParameterInfo& p) { return p.kind == ParameterKind::Choice; });
    ASSERT_TRUE(found) << "no registered effect has a choice parameter";
    const auto read = readText(oneEffectPreset(found->type, "{\"" + found->info->id + "\": 1}"));
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr(path_));
    EXPECT_THAT(read.error(),
                HasSubstr("chain[0] (" + found->type + "), parameter \"" + found->info->id + "\""));
    EXPECT_THAT(read.error(), HasSubstr("\"" + found->info->choices.at(0) + "\""));
}

TEST_F(PresetReaderTest, ChoiceNameIsReadAsItsIndexAndAnUnknownNameIsAnError) {
    const auto found = findParameter([](const ParameterInfo& p) {
        return p.kind == ParameterKind::Choice && p.choices.size() >= 2;
    });
    ASSERT_TRUE(found) << "no registered effect has a choice parameter";
    const auto& p = *found->info;
    const auto good =
        readText(oneEffectPreset(found->type, "{\"" + p.id + "\": \"" + p.choices.back() + "\"}"));
    ASSERT_TRUE(good.ok()) << good.error();
    EXPECT_EQ(good->preset.chain[0].params.at(p.id), static_cast<float>(p.choices.size() - 1));

    const auto bad = readText(oneEffectPreset(found->type, "{\"" + p.id + "\": \"loudest\"}"));
    ASSERT_FALSE(bad.ok());
    EXPECT_THAT(bad.error(), HasSubstr("parameter \"" + p.id + "\""));
    EXPECT_THAT(bad.error(), HasSubstr("\"loudest\" is not one of"));
}

TEST_F(PresetReaderTest, WrongTypesOfStructuralFieldsAreErrors) {
    const auto bypass = readText(
        R"({"format": "liverack-preset", "version": 1, "chain": [{"type": "gain", "bypass": 0}]})");
    ASSERT_FALSE(bypass.ok());
    EXPECT_THAT(bypass.error(), HasSubstr("chain[0] (gain), \"bypass\": must be true or false"));

    const auto params = readText(
        R"({"format": "liverack-preset", "version": 1, "chain": [{"type": "gain", "params": []}]})");
    ASSERT_FALSE(params.ok());
    EXPECT_THAT(params.error(), HasSubstr("chain[0] (gain), \"params\": must be an object"));

    const auto entry =
        readText(R"({"format": "liverack-preset", "version": 1, "chain": ["gain"]})");
    ASSERT_FALSE(entry.ok());
    EXPECT_THAT(entry.error(), HasSubstr("chain[0]: must be an object"));

    const auto type =
        readText(R"({"format": "liverack-preset", "version": 1, "chain": [{"type": 3}]})");
    ASSERT_FALSE(type.ok());
    EXPECT_THAT(type.error(), HasSubstr("chain[0]: \"type\" must be a string"));

    const auto chain = readText(R"({"format": "liverack-preset", "version": 1, "chain": {}})");
    ASSERT_FALSE(chain.ok());
    EXPECT_THAT(chain.error(), HasSubstr("\"chain\": must be a list"));

    const auto top = readText(R"([1, 2, 3])");
    ASSERT_FALSE(top.ok());
    EXPECT_THAT(top.error(), HasSubstr("top level must be a JSON object"));
}

TEST_F(PresetReaderTest, EveryErrorIsReportedNotOnlyTheFirst) {
    const auto read = readText(R"({"format": "liverack-preset", "version": 1, "chain": [
        {"type": "gain", "params": {"gain_db": "loud"}},
        {"type": "gain", "params": {"mute": "yes"}},
        {"type": "nosuch"}]})");
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr("chain[0] (gain), parameter \"gain_db\""));
    EXPECT_THAT(read.error(), HasSubstr("chain[1] (gain), parameter \"mute\""));
    EXPECT_THAT(read.error(), HasSubstr("chain[2] (nosuch)"));
}

TEST_F(PresetReaderTest, MissingOrForeignFormatIsAnError) {
    const auto missing = readText(R"({"version": 1, "chain": []})");
    ASSERT_FALSE(missing.ok());
    EXPECT_THAT(missing.error(), HasSubstr(path_));
    EXPECT_THAT(missing.error(), HasSubstr("no \"format\""));

    const auto foreign = readText(R"({"format": "ardour-session", "version": 1, "chain": []})");
    ASSERT_FALSE(foreign.ok());
    EXPECT_THAT(foreign.error(), HasSubstr("not a LiveRack preset"));
    EXPECT_THAT(foreign.error(), HasSubstr("ardour-session"));
}

TEST_F(PresetReaderTest, NewerVersionIsAnErrorAndMissingVersionToo) {
    const auto newer = readText(R"({"format": "liverack-preset", "version": 2, "chain": []})");
    ASSERT_FALSE(newer.ok());
    EXPECT_THAT(newer.error(), HasSubstr(path_));
    EXPECT_THAT(newer.error(), HasSubstr("newer LiveRack"));

    const auto missing = readText(R"({"format": "liverack-preset", "chain": []})");
    ASSERT_FALSE(missing.ok());
    EXPECT_THAT(missing.error(), HasSubstr("no \"version\""));

    const auto text = readText(R"({"format": "liverack-preset", "version": "1", "chain": []})");
    ASSERT_FALSE(text.ok());
    EXPECT_THAT(text.error(), HasSubstr("\"version\": must be a whole number"));
}

TEST_F(PresetReaderTest, AtMost64EffectsAreAccepted) {
    auto chainOf = [](int count) {
        std::string text = R"({"format": "liverack-preset", "version": 1, "chain": [)";
        for (int i = 0; i < count; ++i) {
            text += std::string(i == 0 ? "" : ",") + R"({"type": "gain"})";
        }
        return text + "]}";
    };
    const auto full = readText(chainOf(64));
    ASSERT_TRUE(full.ok()) << full.error();
    EXPECT_EQ(full->preset.chain.size(), 64u);

    const auto over = readText(chainOf(65));
    ASSERT_FALSE(over.ok());
    EXPECT_THAT(over.error(), HasSubstr("holds 65 effects; a chain holds at most 64"));
}

TEST_F(PresetReaderTest, FileOverOneMebibyteIsRefused) {
    // Valid JSON padded with spaces to 2 MiB: refused for its size alone, before parsing.
    std::string text = R"({"format": "liverack-preset", "version": 1, "chain": [])";
    text += std::string(2u << 20, ' ') + "}";
    const auto read = readText(text);
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr(path_));
    EXPECT_THAT(read.error(), HasSubstr("at most 1 MiB"));
}

TEST_F(PresetReaderTest, FolderIsRefusedWithASentence) {
    const auto read = PresetReader::readFile(folder_.path());
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr(folder_.path()));
    EXPECT_THAT(read.error(), HasSubstr("is a folder"));
}

TEST_F(PresetReaderTest, MissingFileIsRefusedWithASentence) {
    const std::string path = folder_.file("nowhere.json");
    const auto read = PresetReader::readFile(path);
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr(path));
    EXPECT_THAT(read.error(), HasSubstr("No such file"));
}

TEST_F(PresetReaderTest, TruncatedFileIsRefusedWithASentence) {
    const std::string whole =
        R"({"format": "liverack-preset", "version": 1, "chain": [{"type": "gain", "params": {"gain_db": -3}}]})";
    for (size_t length : {whole.size() / 3, whole.size() / 2, whole.size() - 1}) {
        const auto read = readText(whole.substr(0, length));
        ASSERT_FALSE(read.ok()) << "cut at " << length;
        EXPECT_THAT(read.error(), HasSubstr(path_));
        EXPECT_THAT(read.error(), HasSubstr("is not valid JSON"));
        EXPECT_THAT(read.error(), HasSubstr("cut short"));
    }
}

TEST_F(PresetReaderTest, EmptyFileIsRefusedWithASentence) {
    const auto read = readText("");
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr("is empty"));
}

TEST_F(PresetReaderTest, NonUtf8IsRefusedWithTheLine) {
    // Latin-1 "é" (0xE9) inside a string, as an editor set to the wrong encoding would save it.
    const auto read = readText(
        "{\"format\": \"liverack-preset\", \"version\": 1,\n\"name\": \"caf\xE9\", \"chain\": []}");
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr(path_));
    EXPECT_THAT(read.error(), HasSubstr("not UTF-8"));
    EXPECT_THAT(read.error(), HasSubstr("line 2"));
}

TEST_F(PresetReaderTest, Utf8NamesAreKept) {
    const auto read = readText(
        R"({"format": "liverack-preset", "version": 1, "name": "Café ♪ 日本", "chain": []})");
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_EQ(read->preset.name, "Café ♪ 日本");
}

TEST_F(PresetReaderTest, KeyGivenTwiceIsAnError) {
    const auto read = readText(oneEffectPreset("gain", R"({"gain_db": 1, "gain_db": 2})"));
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr("\"gain_db\" appears twice"));
}

TEST_F(PresetReaderTest, UnknownFieldsOutsideParamsAreWarnings) {
    const auto read = readText(R"({"format": "liverack-preset", "version": 1, "author": "me",
        "chain": [{"type": "gain", "colour": "red"}]})");
    ASSERT_TRUE(read.ok()) << read.error();
    ASSERT_EQ(read->warnings.size(), 2u);
    EXPECT_THAT(read->warnings[0], HasSubstr("\"author\""));
    EXPECT_THAT(read->warnings[1], HasSubstr("chain[0] (gain)"));
    EXPECT_THAT(read->warnings[1], HasSubstr("\"colour\""));
}

TEST_F(PresetReaderTest, DeeplyNestedJsonIsRefusedWithoutCrashing) {
    // Half a million nested lists: the parser must neither overflow the stack nor throw out.
    const std::string text = std::string(500000, '[') + std::string(500000, ']');
    const auto read = readText(text);
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error(), HasSubstr("top level must be a JSON object"));
}

TEST_F(PresetReaderTest, HugeNumberIsClampedNotOverflowed) {
    const auto read = readText(oneEffectPreset("gain", R"({"gain_db": 1e300})"));
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_EQ(read->preset.chain[0].params.at("gain_db"), 24.0f);
    EXPECT_EQ(read->warnings.size(), 1u);
}

TEST(PresetReaderMutationTest, MutatedFilesNeverThrowAndEveryErrorNamesTheFile) {
    // Random byte edits of a valid preset (flips, deletions, insertions of JSON punctuation):
    // whatever comes out, reading returns a result; nothing escapes as an exception.
    const std::string valid = R"({"format": "liverack-preset", "version": 1, "name": "m",
        "chain": [{"type": "gain", "bypass": false, "params": {"gain_db": -3.5, "mute": true}},
                  {"type": "gain", "params": {"pan": 0.25}}]})";
    const std::string punctuation = "{}[]\":,.-0123456789etrufalsn \\\xC3\xFF";
    std::mt19937 random(2024);
    int accepted = 0;
    for (int trial = 0; trial < 20000; ++trial) {
        std::string text = valid;
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int e = 0; e < edits && !text.empty(); ++e) {
            const size_t at = random() % text.size();
            switch (random() % 3) {
                case 0:
                    text[at] = punctuation[random() % punctuation.size()];
                    break;
                case 1:
                    text.erase(at, 1 + random() % 8);
                    break;
                default:
                    text.insert(at, 1, punctuation[random() % punctuation.size()]);
                    break;
            }
        }
        Result<ReadPreset> read = Error{""};
        ASSERT_NO_THROW(read = PresetReader::readText(text, "mutant.json")) << text;
        if (read.ok()) {
            ++accepted;
            EXPECT_LE(read->preset.chain.size(), 2u);
        } else {
            EXPECT_THAT(read.error(), HasSubstr("'mutant.json'")) << text;
        }
    }
    EXPECT_GT(accepted, 0);  // some edits (inside numbers, spaces) leave a valid preset
}

}  // namespace
}  // namespace liverack::core
