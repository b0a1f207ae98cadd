// The fuzzers' seed corpora as ordinary tests, so every build checks them, not only the clang
// fuzz pass: each "bad-*" file is refused with a sentence, each "good-*" and factory file is
// accepted, builds a chain, and reads back as itself after saving.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/preset/PresetLoader.h"
#include "core/preset/PresetReader.h"
#include "core/preset/PresetWriter.h"
#include "core/preset/SessionStore.h"
#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> filesIn(const char* folder) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool isBad(const std::string& path) {
    return fs::path(path).filename().string().starts_with("bad-");
}

std::string testName(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = fs::path(info.param).stem().string();
    for (auto& c : name) {
        c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    }
    return name;
}

class PresetSeed : public ::testing::TestWithParam<std::string> {};

TEST_P(PresetSeed, BadSeedsAreRefusedWithASentenceAndGoodOnesSurviveSaving) {
    const std::string text = test::readBytes(GetParam());
    auto read = PresetReader::readText(text, fs::path(GetParam()).filename().string());
    if (isBad(GetParam())) {
        ASSERT_FALSE(read.ok()) << "accepted";
        EXPECT_FALSE(read.error().empty());
        return;
    }
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_TRUE(PresetLoader::buildChain(read->preset).ok());
    const auto json = PresetWriter::toJson(read->preset);
    ASSERT_TRUE(json.ok()) << json.error();
    const auto again = PresetReader::readText(json.value(), "again");
    ASSERT_TRUE(again.ok()) << again.error();
    EXPECT_EQ(again->preset, read->preset);
}

INSTANTIATE_TEST_SUITE_P(Corpus, PresetSeed,
                         ::testing::ValuesIn(filesIn(LIVERACK_FUZZ_CORPUS_DIR "/corpus")),
                         testName);

class SessionSeed : public ::testing::TestWithParam<std::string> {};

TEST_P(SessionSeed, BadSeedsAreRefusedWithASentenceAndGoodOnesSurviveSaving) {
    auto parsed = SessionStore::parse(test::readBytes(GetParam()));
    if (isBad(GetParam()) && !parsed.ok()) {
        EXPECT_FALSE(parsed.error().empty());
        return;
    }
    // A session with bad parts still loads, the parts falling back with a warning.
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    EXPECT_EQ(isBad(GetParam()), !parsed->warnings.empty());
    const auto again = SessionStore::parse(parsed->session.toJson().dump());
    ASSERT_TRUE(again.ok()) << again.error();
    EXPECT_TRUE(again->session == parsed->session);
}

INSTANTIATE_TEST_SUITE_P(Corpus, SessionSeed,
                         ::testing::ValuesIn(filesIn(LIVERACK_FUZZ_CORPUS_DIR "/corpus-session")),
                         testName);

}  // namespace
}  // namespace liverack::core
