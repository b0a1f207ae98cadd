// PresetWriter: the JSON it writes follows DESIGN.md (ids, choices by name, booleans as JSON
// booleans) and reads back unchanged; saving is atomic, keeps the previous file as .bak and never
// leaves a half-written file, even when the disk refuses the write halfway.
#include "core/preset/PresetWriter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/preset/PresetReader.h"
#include "tests/core/preset/PresetTestSupport.h"
#include "tests/support/FileSizeLimit.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Preset gainPreset(const std::string& name, float gainDb) {
    Preset preset;
    preset.name = name;
    preset.chain.push_back({"gain", false, {{"gain_db", gainDb}, {"mute", 1.0f}}});
    return preset;
}

TEST(PresetWriterTest, WrittenJsonFollowsTheFormat) {
    const auto found =
        test::findParameter([](const ParameterInfo& p) { return p.kind == ParameterKind::Choice; });
    ASSERT_TRUE(found) << "no registered effect has a choice parameter";
    Preset preset = gainPreset("Voice", -6.5f);
    preset.chain.push_back({found->type, true, {{found->info->id, 1.0f}}});

    const auto text = PresetWriter::toJson(preset);
    ASSERT_TRUE(text.ok()) << text.error();
    const auto json = nlohmann::json::parse(text.value());  // an independent parser reads it back
    EXPECT_EQ(json.at("format"), "liverack-preset");
    EXPECT_EQ(json.at("version"), 1);
    EXPECT_EQ(json.at("name"), "Voice");
    ASSERT_EQ(json.at("chain").size(), 2u);
    const auto& gain = json["chain"][0];
    EXPECT_EQ(gain.at("type"), "gain");
    EXPECT_EQ(gain.at("bypass"), false);
    EXPECT_TRUE(gain.at("params").at("mute").is_boolean());
    EXPECT_EQ(gain.at("params").at("mute"), true);
    EXPECT_TRUE(gain.at("params").at("gain_db").is_number());
    EXPECT_EQ(gain.at("params").at("gain_db").get<double>(), -6.5);
    const auto& second = json["chain"][1];
    EXPECT_EQ(second.at("bypass"), true);
    EXPECT_EQ(second.at("params").at(found->info->id), found->info->choices.at(1));
}

TEST(PresetWriterTest, NumbersAreWrittenAsTheShortestDecimalOfTheFloat) {
    Preset preset;
    preset.chain.push_back({"gain", false, {{"gain_db", 0.3f}, {"pan", -1.0f}}});
    const auto text = PresetWriter::toJson(preset);
    ASSERT_TRUE(text.ok()) << text.error();
    EXPECT_THAT(text.value(), HasSubstr("\"gain_db\": 0.3"));
    EXPECT_THAT(text.value(), ::testing::Not(HasSubstr("0.300000")));
    EXPECT_THAT(text.value(), HasSubstr("\"pan\": -1"));
}

TEST(PresetWriterTest, ParametersAreWrittenInTheEffectsOwnOrder) {
    Preset preset;
    preset.chain.push_back({"gain", false, {{"mute", 0.0f}, {"gain_db", 1.0f}, {"pan", 0.0f}}});
    const auto text = PresetWriter::toJson(preset);
    ASSERT_TRUE(text.ok()) << text.error();
    EXPECT_LT(text->find("gain_db"), text->find("pan"));
    EXPECT_LT(text->find("pan"), text->find("mute"));
}

TEST(PresetWriterTest, UnknownTypeOrParameterCannotBeWritten) {
    Preset preset;
    preset.chain.push_back({"nosuch", false, {}});
    const auto unknownType = PresetWriter::toJson(preset);
    ASSERT_FALSE(unknownType.ok());
    EXPECT_THAT(unknownType.error(), HasSubstr("chain[0] (nosuch)"));

    preset.chain[0] = {"gain", false, {{"volume", 1.0f}}};
    const auto unknownParameter = PresetWriter::toJson(preset);
    ASSERT_FALSE(unknownParameter.ok());
    EXPECT_THAT(unknownParameter.error(), HasSubstr("\"volume\""));
}

TEST(PresetWriterTest, SavedFileReadsBackEqual) {
    test::TempFolder folder;
    const Preset preset = gainPreset("Café ♪", -12.25f);
    const std::string path = folder.file("p.json");
    ASSERT_TRUE(PresetWriter::save(preset, path).ok());
    const auto read = PresetReader::readFile(path);
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_EQ(read->preset, preset);
    EXPECT_TRUE(read->warnings.empty());
    EXPECT_THAT(folder.entries(), ElementsAre("p.json"));  // no temporary file, no backup yet
}

TEST(PresetWriterTest, SaveKeepsThePreviousFileAsBackup) {
    test::TempFolder folder;
    const std::string path = folder.file("p.json");
    ASSERT_TRUE(PresetWriter::save(gainPreset("first", -1.0f), path).ok());
    const std::string firstBytes = test::readBytes(path);
    ASSERT_TRUE(PresetWriter::save(gainPreset("second", -2.0f), path).ok());
    EXPECT_EQ(test::readBytes(PresetWriter::backupPath(path)), firstBytes);
    EXPECT_EQ(PresetReader::readFile(path)->preset.name, "second");
    ASSERT_TRUE(PresetWriter::save(gainPreset("third", -3.0f), path).ok());
    EXPECT_EQ(PresetReader::readFile(PresetWriter::backupPath(path))->preset.name, "second");
    EXPECT_EQ(PresetReader::readFile(path)->preset.name, "third");
    EXPECT_THAT(folder.entries(), ElementsAre("p.json", "p.json.bak"));
}

// The disk refuses the write halfway (a file size limit acts like a full disk: write() fails
// with EFBIG). The old preset must stay whole and no partial file may remain.
TEST(PresetWriterTest, WriteFailingHalfwayLeavesTheOldFileAndNoPartialFile) {
    test::TempFolder folder;
    const std::string path = folder.file("p.json");
    ASSERT_TRUE(PresetWriter::save(gainPreset("old", -1.0f), path).ok());
    const std::string oldBytes = test::readBytes(path);

    Preset big;
    big.name = "big";
    for (size_t i = 0; i < Preset::kMaxEffects; ++i) {
        big.chain.push_back({"gain", false, {{"gain_db", 0.125f}, {"pan", 0.5f}, {"mute", 0.0f}}});
    }
    ASSERT_GT(PresetWriter::toJson(big)->size(), 4096u);

    test::FileSizeLimit fullDisk(4096);
    ASSERT_TRUE(fullDisk.isActive());
    const Status saved = PresetWriter::save(big, path);
    fullDisk.lift();

    ASSERT_FALSE(saved.ok());
    EXPECT_THAT(saved.error(), HasSubstr(path));
    EXPECT_EQ(test::readBytes(path), oldBytes);
    EXPECT_THAT(folder.entries(), ElementsAre("p.json"));
}

TEST(PresetWriterTest, SavingOntoAFolderOrIntoAMissingFolderFailsWithASentence) {
    test::TempFolder folder;
    const Status ontoFolder = PresetWriter::save(gainPreset("x", 0.0f), folder.path());
    ASSERT_FALSE(ontoFolder.ok());
    EXPECT_THAT(ontoFolder.error(), HasSubstr("is a folder"));

    const std::string missing = folder.file("no/such/folder/p.json");
    const Status intoMissing = PresetWriter::save(gainPreset("x", 0.0f), missing);
    ASSERT_FALSE(intoMissing.ok());
    EXPECT_THAT(intoMissing.error(), HasSubstr(missing));
    EXPECT_THAT(intoMissing.error(), HasSubstr("No such file or directory"));
    EXPECT_TRUE(folder.entries().empty());
}

}  // namespace
}  // namespace liverack::core
