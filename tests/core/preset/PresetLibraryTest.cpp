// PresetLibrary: saving and loading restores every parameter exactly, factory presets stay
// read-only, rename and delete (with undo) work on the user's presets only, imports are
// validated completely and never overwrite, and no preset name can escape the user folder.
#include "core/preset/PresetLibrary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/dsp/EffectFactory.h"
#include "core/preset/PresetLoader.h"
#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Preset gainPreset(const std::string& name, float gainDb) {
    Preset preset;
    preset.name = name;
    preset.chain.push_back({"gain", false, {{"gain_db", gainDb}}});
    return preset;
}

// Every file under a folder (recursively) with its bytes: "unchanged" means exactly this.
std::map<std::string, std::string> snapshot(const std::string& folder) {
    std::map<std::string, std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(folder, ec)) {
        if (entry.is_regular_file()) {
            files[entry.path().string()] = test::readBytes(entry.path().string());
        }
    }
    return files;
}

std::vector<std::string> names(const std::vector<PresetEntry>& entries) {
    std::vector<std::string> result;
    for (const auto& entry : entries) {
        result.push_back(entry.name);
    }
    return result;
}

// A factory folder with two presets and an empty user folder, both temporary.
class PresetLibraryTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(factory());
        ASSERT_TRUE(PresetWriter::save(gainPreset("Factory loud", 6.0f), factory() + "/loud.json"));
        ASSERT_TRUE(
            PresetWriter::save(gainPreset("Factory quiet", -6.0f), factory() + "/quiet.json"));
    }
    std::string factory() const { return folder_.file("factory"); }
    std::string user() const { return folder_.file("user"); }
    PresetLibrary library() const { return PresetLibrary(factory(), user()); }

    test::TempFolder folder_;
};

// A value for every parameter that is neither its default nor a bound, so a parameter that
// is lost on the way (and comes back as its default) cannot pass.
float unusualValue(const ParameterInfo& parameter) {
    switch (parameter.kind) {
        case ParameterKind::Toggle:
            return parameter.defaultValue >= 0.5f ? 0.0f : 1.0f;
        case ParameterKind::Choice:
            return static_cast<float>(parameter.choices.size() - 1) == parameter.defaultValue
                       ? 0.0f
                       : static_cast<float>(parameter.choices.size() - 1);
        case ParameterKind::Continuous:
            break;
    }
    float value = parameter.constrain(parameter.minValue +
                                      0.3719f * (parameter.maxValue - parameter.minValue));
    if (value == parameter.defaultValue) {
        value = parameter.constrain(parameter.minValue +
                                    0.6113f * (parameter.maxValue - parameter.minValue));
    }
    return value;
}

TEST_F(PresetLibraryTest, SaveThenLoadRestoresEveryParameterOfEveryEffectExactly) {
    Preset preset;
    preset.name = "Everything";
    for (const auto& type : EffectFactory::typeIds()) {
        PresetEffect effect{type, type.size() % 2 == 0, {}};
        for (const auto& parameter : EffectFactory::info(type)->parameters) {
            effect.params[parameter.id] = unusualValue(parameter);
        }
        preset.chain.push_back(std::move(effect));
    }
    auto library = this->library();
    const auto saved = library.save(preset);
    ASSERT_TRUE(saved.ok()) << saved.error();

    const auto found = library.find("Everything");
    ASSERT_TRUE(found);
    auto loaded = PresetLoader::load(found->path);
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    EXPECT_TRUE(loaded->warnings.empty());
    ASSERT_EQ(loaded->chain->slots().size(), preset.chain.size());
    for (size_t i = 0; i < preset.chain.size(); ++i) {
        const auto& slot = loaded->chain->slots()[i];
        const auto& expected = preset.chain[i];
        EXPECT_EQ(slot->effect().info().typeId, expected.type);
        EXPECT_EQ(slot->isBypassed(), expected.bypass) << expected.type;
        const ParameterSet& parameters = slot->effect().parameters();
        for (size_t p = 0; p < parameters.size(); ++p) {
            EXPECT_EQ(parameters.get(p), expected.params.at(parameters.info(p).id))
                << expected.type << " " << parameters.info(p).id;
        }
    }
}

TEST_F(PresetLibraryTest, FactoryPresetsComeFirstAndUserPresetsAfterEachSortedByName) {
    auto library = this->library();
    ASSERT_TRUE(library.save(gainPreset("zebra", 1.0f)));
    ASSERT_TRUE(library.save(gainPreset("Alpha", 1.0f)));
    const auto entries = library.entries();
    EXPECT_THAT(names(entries),
                ::testing::ElementsAre("Factory loud", "Factory quiet", "Alpha", "zebra"));
    EXPECT_TRUE(entries[0].factory);
    EXPECT_FALSE(entries[2].factory);
    EXPECT_THAT(entries[2].path, StartsWith(user() + "/"));
}

TEST_F(PresetLibraryTest, SearchMatchesAPartOfTheNameIgnoringCase) {
    auto library = this->library();
    ASSERT_TRUE(library.save(gainPreset("My LOUD voice", 1.0f)));
    EXPECT_THAT(names(library.search("loud")),
                ::testing::ElementsAre("Factory loud", "My LOUD voice"));
    EXPECT_THAT(names(library.search("QUIET")), ::testing::ElementsAre("Factory quiet"));
    EXPECT_TRUE(library.search("nothing like this").empty());
    EXPECT_EQ(library.search("").size(), 3u);
}

TEST_F(PresetLibraryTest, SavingAgainReplacesTheUserPresetAndKeepsTheOldFileAsBackup) {
    auto library = this->library();
    const auto first = library.save(gainPreset("Mine", 1.0f));
    ASSERT_TRUE(first.ok()) << first.error();
    const std::string before = test::readBytes(first->path);
    const auto second = library.save(gainPreset("Mine", 2.0f));
    ASSERT_TRUE(second.ok()) << second.error();
    EXPECT_EQ(second->path, first->path);
    EXPECT_EQ(test::readBytes(PresetWriter::backupPath(first->path)), before);
    auto read = PresetReader::readFile(first->path);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->preset.chain[0].params.at("gain_db"), 2.0f);
    EXPECT_EQ(library.entries().size(), 3u);
}

TEST_F(PresetLibraryTest, FactoryPresetsCannotBeSavedRenamedOrDeleted) {
    auto library = this->library();
    const auto before = snapshot(factory());
    const auto saved = library.save(gainPreset("Factory loud", 0.0f));
    ASSERT_FALSE(saved.ok());
    EXPECT_THAT(saved.error(), HasSubstr("factory preset and cannot be changed"));
    const auto savedAs = library.saveAs(gainPreset("x", 0.0f), "factory LOUD", true);
    ASSERT_FALSE(savedAs.ok());
    EXPECT_THAT(savedAs.error(), HasSubstr("already a factory preset"));
    const auto renamed = library.rename("Factory loud", "Other");
    ASSERT_FALSE(renamed.ok());
    EXPECT_THAT(renamed.error(), HasSubstr("cannot be renamed"));
    const auto removed = library.remove("Factory quiet");
    ASSERT_FALSE(removed.ok());
    EXPECT_THAT(removed.error(), HasSubstr("cannot be deleted"));
    EXPECT_EQ(snapshot(factory()), before);
    EXPECT_TRUE(snapshot(user()).empty());
}

TEST_F(PresetLibraryTest, SaveAsRefusesATakenUserNameUnlessReplacing) {
    auto library = this->library();
    ASSERT_TRUE(library.save(gainPreset("Mine", 1.0f)));
    const auto refused = library.saveAs(gainPreset("anything", 5.0f), "mine");
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(refused.error(), HasSubstr("already a preset called"));
    const auto replaced = library.saveAs(gainPreset("anything", 5.0f), "mine", true);
    ASSERT_TRUE(replaced.ok()) << replaced.error();
    EXPECT_EQ(library.entries().size(), 3u);
    auto read = PresetReader::readFile(replaced->path);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->preset.name, "mine");
    EXPECT_EQ(read->preset.chain[0].params.at("gain_db"), 5.0f);
}

TEST_F(PresetLibraryTest, RenameChangesTheNameAndTheFileAndRefusesATakenName) {
    auto library = this->library();
    const auto saved = library.save(gainPreset("Old name", 3.0f));
    ASSERT_TRUE(saved.ok());
    ASSERT_TRUE(library.save(gainPreset("Other", 1.0f)));

    const auto taken = library.rename("Old name", "OTHER");
    ASSERT_FALSE(taken.ok());
    EXPECT_THAT(taken.error(), HasSubstr("already a preset called"));
    const auto factoryTaken = library.rename("Old name", "Factory quiet");
    ASSERT_FALSE(factoryTaken.ok());
    EXPECT_THAT(factoryTaken.error(), HasSubstr("already a factory preset"));

    const auto renamed = library.rename("Old name", "New name");
    ASSERT_TRUE(renamed.ok()) << renamed.error();
    EXPECT_FALSE(fs::exists(saved->path));
    EXPECT_FALSE(library.find("Old name"));
    const auto found = library.find("New name");
    ASSERT_TRUE(found);
    auto read = PresetReader::readFile(found->path);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->preset.name, "New name");
    EXPECT_EQ(read->preset.chain[0].params.at("gain_db"), 3.0f);

    const auto missing = library.rename("No such preset", "x");
    ASSERT_FALSE(missing.ok());
    EXPECT_THAT(missing.error(), HasSubstr("there is no preset called"));
}

TEST_F(PresetLibraryTest, RenamingToADifferentCaseKeepsOnePreset) {
    auto library = this->library();
    ASSERT_TRUE(library.save(gainPreset("voice", 3.0f)));
    const auto renamed = library.rename("voice", "Voice");
    ASSERT_TRUE(renamed.ok()) << renamed.error();
    EXPECT_THAT(names(library.entries()),
                ::testing::ElementsAre("Factory loud", "Factory quiet", "Voice"));
}

TEST_F(PresetLibraryTest, DeleteMovesThePresetToTheTrashAndRestoreBringsItBackUnchanged) {
    auto library = this->library();
    const auto saved = library.save(gainPreset("Doomed", -3.0f));
    ASSERT_TRUE(saved.ok());
    // Written by hand, not as the writer would: undo must give back this very file.
    const std::string bytes =
        R"({"format":"liverack-preset","version":1,"name":"Doomed","chain":[{"type":"gain"}]})";
    std::ofstream(saved->path, std::ios::trunc) << bytes;

    const auto trashed = library.remove("doomed");
    ASSERT_TRUE(trashed.ok()) << trashed.error();
    EXPECT_EQ(trashed->name, "Doomed");
    EXPECT_FALSE(library.find("Doomed"));
    EXPECT_THAT(trashed->path, StartsWith(user() + "/.trash/"));
    ASSERT_EQ(library.trash().size(), 1u);
    EXPECT_EQ(library.trash()[0].name, "Doomed");

    const auto restored = library.restore(trashed.value());
    ASSERT_TRUE(restored.ok()) << restored.error();
    EXPECT_EQ(restored->name, "Doomed");
    EXPECT_EQ(test::readBytes(restored->path), bytes);
    EXPECT_TRUE(library.trash().empty());
    EXPECT_EQ(library.entries().size(), 3u);

    const auto again = library.restore(trashed.value());
    ASSERT_FALSE(again.ok());
    EXPECT_THAT(again.error(), HasSubstr("no longer in the trash"));
}

TEST_F(PresetLibraryTest, TrashListsTheMostRecentlyDeletedFirstAndCanBeEmptied) {
    auto library = this->library();
    for (const char* name : {"One", "Two", "Three"}) {
        ASSERT_TRUE(library.save(gainPreset(name, 0.0f)));
    }
    ASSERT_TRUE(library.remove("Two"));
    ASSERT_TRUE(library.remove("One"));
    ASSERT_TRUE(library.remove("Three"));
    const auto trash = library.trash();
    ASSERT_EQ(trash.size(), 3u);
    EXPECT_EQ(trash[0].name, "Three");
    EXPECT_EQ(trash[1].name, "One");
    EXPECT_EQ(trash[2].name, "Two");
    ASSERT_TRUE(library.emptyTrash());
    EXPECT_TRUE(library.trash().empty());
    EXPECT_EQ(library.entries().size(), 2u);
}

TEST_F(PresetLibraryTest, RestoringANameTakenMeanwhileGivesTheNextNumberedName) {
    auto library = this->library();
    ASSERT_TRUE(library.save(gainPreset("Mine", 1.0f)));
    const auto trashed = library.remove("Mine");
    ASSERT_TRUE(trashed.ok());
    ASSERT_TRUE(library.save(gainPreset("Mine", 2.0f)));
    const auto restored = library.restore(trashed.value());
    ASSERT_TRUE(restored.ok()) << restored.error();
    EXPECT_EQ(restored->name, "Mine (2)");
    auto read = PresetReader::readFile(restored->path);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->preset.name, "Mine (2)");
    EXPECT_EQ(read->preset.chain[0].params.at("gain_db"), 1.0f);
}

TEST_F(PresetLibraryTest, ImportNeverOverwritesAndNumbersTheNameInstead) {
    auto library = this->library();
    ASSERT_TRUE(library.save(gainPreset("Shared", 1.0f)));
    const std::string original = test::readBytes(library.find("Shared")->path);
    const std::string outside = folder_.file("shared.json");
    ASSERT_TRUE(PresetWriter::save(gainPreset("Shared", 7.0f), outside));

    const auto second = library.import(outside);
    ASSERT_TRUE(second.ok()) << second.error();
    EXPECT_EQ(second->entry.name, "Shared (2)");
    const auto third = library.import(outside);
    ASSERT_TRUE(third.ok()) << third.error();
    EXPECT_EQ(third->entry.name, "Shared (3)");
    EXPECT_EQ(test::readBytes(library.find("Shared")->path), original);

    // A factory name is taken too: the import becomes a user preset beside it.
    ASSERT_TRUE(PresetWriter::save(gainPreset("Factory loud", 7.0f), outside));
    const auto beside = library.import(outside);
    ASSERT_TRUE(beside.ok()) << beside.error();
    EXPECT_EQ(beside->entry.name, "Factory loud (2)");
    EXPECT_FALSE(beside->entry.factory);
    auto read = PresetReader::readFile(third->entry.path);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->preset.chain[0].params.at("gain_db"), 7.0f);
}

TEST_F(PresetLibraryTest, ImportClampsOutOfRangeValuesAndReportsThem) {
    auto library = this->library();
    const std::string path =
        folder_.write("hot.json",
                      R"({"format": "liverack-preset", "version": 1, "name": "Hot",
            "chain": [{"type": "gain", "params": {"gain_db": 1e300}}]})");
    const auto imported = library.import(path);
    ASSERT_TRUE(imported.ok()) << imported.error();
    ASSERT_EQ(imported->warnings.size(), 1u);
    EXPECT_THAT(imported->warnings[0], HasSubstr("clamped"));
    auto read = PresetReader::readFile(imported->entry.path);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->preset.chain[0].params.at("gain_db"), 24.0f);  // the top of gain_db's range
    EXPECT_TRUE(read->warnings.empty());
}

struct BadImport {
    const char* label;
    std::string bytes;
    const char* sentence;  // a part of the reader's sentence for this fault
};

std::string preset(const std::string& chain) {
    return R"({"format": "liverack-preset", "version": 1, "name": "Bad", "chain": )" + chain + "}";
}

std::string deeplyNested() {
    return preset(R"([{"type": "gain", "params": {"gain_db": )" + std::string(5000, '[') +
                  std::string(5000, ']') + "}}]");
}

class ImportOfABadFile : public PresetLibraryTest,
                         public ::testing::WithParamInterface<BadImport> {};

TEST_P(ImportOfABadFile, GivesTheReadersSentenceAndLeavesTheLibraryUnchanged) {
    auto library = this->library();
    ASSERT_TRUE(library.save(gainPreset("Existing", 1.0f)));
    const auto userBefore = snapshot(user());
    const auto factoryBefore = snapshot(factory());
    const auto entriesBefore = names(library.entries());

    const std::string path = folder_.write("bad.json", GetParam().bytes);
    const auto imported = library.import(path);
    ASSERT_FALSE(imported.ok()) << GetParam().label << " was imported";
    EXPECT_THAT(imported.error(), HasSubstr(GetParam().sentence));
    // The very sentence the reader gives for the file, so the window can show it as it is.
    const auto read = PresetLoader::load(path);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(imported.error(), read.error());
    EXPECT_EQ(snapshot(user()), userBefore);
    EXPECT_EQ(snapshot(factory()), factoryBefore);
    EXPECT_EQ(names(library.entries()), entriesBefore);
}

INSTANTIATE_TEST_SUITE_P(
    EveryClass, ImportOfABadFile,
    ::testing::Values(
        BadImport{"empty", "", "is empty"},
        BadImport{"truncated", preset(R"([{"type": "gain", "params": {"gain_db": 3)"), "cut short"},
        BadImport{"wrong type", preset(R"([{"type": "gain", "params": {"gain_db": "loud"}}])"),
                  "must be a number"},
        BadImport{"unknown type", preset(R"([{"type": "flanger", "params": {}}])"),
                  "unknown effect type"},
        BadImport{"unknown parameter", preset(R"([{"type": "gain", "params": {"volume": 1}}])"),
                  "is not a parameter of gain"},
        BadImport{"NaN string", preset(R"([{"type": "gain", "params": {"gain_db": "NaN"}}])"),
                  "must be a number"},
        BadImport{"NaN literal", preset(R"([{"type": "gain", "params": {"gain_db": NaN}}])"),
                  "not valid JSON"},
        BadImport{"huge number beyond double",
                  preset(R"([{"type": "gain", "params": {"gain_db": 1e999}}])"), "number overflow"},
        BadImport{"deep nesting", deeplyNested(), "must be a number"},
        BadImport{"not UTF-8", preset("[{\"type\": \"gain\xff\", \"params\": {}}]"), "not UTF-8"},
        BadImport{"foreign format", R"({"format": "other", "version": 1, "chain": []})",
                  "not a LiveRack preset"},
        BadImport{"newer version",
                  R"({"format": "liverack-preset", "version": 99, "name": "x", "chain": []})",
                  "newer LiveRack"}),
    [](const auto& info) {
        std::string name = info.param.label;
        std::replace(name.begin(), name.end(), ' ', '_');
        std::replace(name.begin(), name.end(), '-', '_');
        return name;
    });

TEST_F(PresetLibraryTest, ImportOfAMissingFileSaysSoAndChangesNothing) {
    auto library = this->library();
    const auto imported = library.import(folder_.file("no-such-file.json"));
    ASSERT_FALSE(imported.ok());
    EXPECT_THAT(imported.error(), HasSubstr("no-such-file.json"));
    EXPECT_TRUE(snapshot(user()).empty());
}

TEST_F(PresetLibraryTest, ExportWritesAByteForByteCopyAndKeepsTheFileItReplaces) {
    auto library = this->library();
    const auto saved = library.save(gainPreset("Mine", 4.5f));
    ASSERT_TRUE(saved.ok());
    const std::string target = folder_.write("exported.json", "old contents");
    ASSERT_TRUE(library.exportTo("mine", target));
    EXPECT_EQ(test::readBytes(target), test::readBytes(saved->path));
    EXPECT_EQ(test::readBytes(target + ".bak"), "old contents");
    ASSERT_TRUE(library.exportTo("Factory quiet", target));
    EXPECT_EQ(test::readBytes(target), test::readBytes(factory() + "/quiet.json"));
    EXPECT_EQ(test::readBytes(target + ".bak"), test::readBytes(saved->path));
    const auto missing = library.exportTo("No such", target);
    ASSERT_FALSE(missing.ok());
    EXPECT_THAT(missing.error(), HasSubstr("there is no preset called"));
    const auto badFolder = library.exportTo("Mine", folder_.file("no/such/folder/x.json"));
    ASSERT_FALSE(badFolder.ok());
    EXPECT_THAT(badFolder.error(), HasSubstr("cannot save"));
}

TEST_F(PresetLibraryTest, HostileNamesStayInsideTheUserFolder) {
    auto library = this->library();
    for (const char* name : {"../../escape", "a/b\\c", "..", ".hidden", "con:*?\"<>|", " . "}) {
        const auto saved = library.save(gainPreset(name, 0.0f));
        ASSERT_TRUE(saved.ok()) << name << ": " << saved.error();
        EXPECT_EQ(fs::path(saved->path).parent_path().string(), user()) << name;
        EXPECT_FALSE(fs::path(saved->path).filename().string().starts_with(".")) << name;
        EXPECT_TRUE(library.find(name)) << name;
    }
    EXPECT_EQ(library.entries().size(), 2u + 6u);
    EXPECT_EQ(snapshot(folder_.path()).size(), 2u + 6u);  // nothing written anywhere else
}

TEST_F(PresetLibraryTest, NamesThatCannotBeNamesAreRefusedWithASentence) {
    auto library = this->library();
    const auto empty = library.save(gainPreset("   ", 0.0f));
    ASSERT_FALSE(empty.ok());
    EXPECT_THAT(empty.error(), HasSubstr("needs a name"));
    const auto control = library.saveAs(gainPreset("x", 0.0f), "line\nbreak");
    ASSERT_FALSE(control.ok());
    EXPECT_THAT(control.error(), HasSubstr("control characters"));
    const auto notUtf8 = library.saveAs(gainPreset("x", 0.0f), "bad\xC3");
    ASSERT_FALSE(notUtf8.ok());
    EXPECT_THAT(notUtf8.error(), HasSubstr("UTF-8"));
    const auto tooLong = library.saveAs(gainPreset("x", 0.0f), std::string(500, 'a'));
    ASSERT_FALSE(tooLong.ok());
    EXPECT_THAT(tooLong.error(), HasSubstr("at most"));
    EXPECT_TRUE(snapshot(user()).empty());
}

TEST_F(PresetLibraryTest, NamesAreTrimmedAndDifferentNamesWithTheSameFileNameGetTwoFiles) {
    auto library = this->library();
    const auto first = library.save(gainPreset("  a/b  ", 1.0f));
    ASSERT_TRUE(first.ok()) << first.error();
    EXPECT_EQ(first->name, "a/b");
    const auto second = library.save(gainPreset("a:b", 2.0f));  // also becomes "a_b"
    ASSERT_TRUE(second.ok()) << second.error();
    EXPECT_NE(first->path, second->path);
    EXPECT_EQ(PresetReader::readFile(first->path)->preset.chain[0].params.at("gain_db"), 1.0f);
    EXPECT_EQ(PresetReader::readFile(second->path)->preset.chain[0].params.at("gain_db"), 2.0f);
}

TEST_F(PresetLibraryTest, AnUnreadableUserFileIsListedWithItsProblem) {
    auto library = this->library();
    fs::create_directories(user());
    std::ofstream(user() + "/broken.json") << "{ not json";
    const auto entries = library.entries();
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[2].name, "broken");
    EXPECT_THAT(entries[2].problem, HasSubstr("not valid JSON"));
    const auto exported = library.exportTo("broken", folder_.file("out.json"));
    ASSERT_FALSE(exported.ok());
    EXPECT_THAT(exported.error(), HasSubstr("not valid JSON"));
}

TEST(ShippedFactoryPresets, TheShowcasePresetsAreInTheFactoryFolderUnderTheirNames) {
    test::TempFolder user;
    const PresetLibrary library(LIVERACK_FACTORY_PRESET_DIR, user.path());
    for (const char* name : {"Podcast voice", "Voice chat clean-up", "Guitar crunch",
                             "Vocal tuner monitor", "Room echo", "Loudness-safe master"}) {
        const auto found = library.find(name);
        ASSERT_TRUE(found) << name;
        EXPECT_TRUE(found->factory);
        EXPECT_EQ(found->name, name);
        EXPECT_TRUE(found->problem.empty()) << found->problem;
    }
    for (const auto& entry : library.entries()) {
        const std::string stem = fs::path(entry.path).stem().string();
        EXPECT_TRUE(std::all_of(
            stem.begin(), stem.end(),
            [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }))
            << entry.path << " is not kebab-case";
    }
}

}  // namespace
}  // namespace liverack::core
