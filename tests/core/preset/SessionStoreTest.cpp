// SessionStore: a saved session loads back equal; saving keeps the previous version; a damaged
// or cut-short file falls back to the backup, then to defaults, and the sentence says which.
#include "core/preset/SessionStore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Session sampleSession(float gainDb) {
    Session session;
    session.devices.api = "jack";
    session.devices.inputDevice = "system";
    session.devices.outputDevice = "Scarlett 2i2 USB";
    session.devices.sampleRate = 96000;
    session.devices.blockFrames = 128;
    session.devices.channels = 1;
    session.devices.source = "sine:440";
    session.chain.name = "Live";
    session.chain.chain.push_back({"gain", false, {{"gain_db", gainDb}, {"mute", 1.0f}}});
    session.chain.chain.push_back({"limiter", true, {{"ceiling_db", -1.5f}}});
    session.autoload.rules = {{"usb", AutoloadRule::Match::Substring, "Podcast voice"}};
    session.autoload.fallback = "Room echo";
    session.view = {{"window/geometry", "0 0 1280 800"},
                    {"spectrum/scale", "log"},
                    {"unicode", "Größe \u266A"}};
    return session;
}

// The default session, as a default-constructed Session: an independent statement of what
// "defaults" means.
const Session kDefaults{};

TEST(SessionStoreTest, SaveThenLoadRestoresTheWholeSession) {
    test::TempFolder folder;
    const SessionStore store(folder.file("sub/dir/session.json"));
    const Session session = sampleSession(-3.5f);
    ASSERT_TRUE(store.save(session));
    const LoadedSession loaded = store.load();
    EXPECT_EQ(loaded.origin, SessionOrigin::Saved);
    EXPECT_THAT(loaded.message, IsEmpty());
    EXPECT_THAT(loaded.warnings, IsEmpty());
    EXPECT_EQ(loaded.session.devices.api, "jack");
    EXPECT_EQ(loaded.session.devices.sampleRate, 96000u);
    EXPECT_EQ(loaded.session.devices.source, "sine:440");
    EXPECT_EQ(loaded.session.chain, session.chain);
    EXPECT_EQ(loaded.session.autoload, session.autoload);
    EXPECT_EQ(loaded.session.view, session.view);
    EXPECT_TRUE(loaded.session == session);
}

TEST(SessionStoreTest, TheFileIsAVersionedJsonObject) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    ASSERT_TRUE(store.save(sampleSession(0.0f)));
    const auto json = nlohmann::json::parse(test::readBytes(store.path()));
    EXPECT_EQ(json.at("format"), "liverack-session");
    EXPECT_EQ(json.at("version"), 1);
    EXPECT_EQ(json.at("devices").at("output"), "Scarlett 2i2 USB");
    EXPECT_EQ(json.at("chain").at("format"), "liverack-preset");  // the chain is a preset
    EXPECT_EQ(json.at("view").at("spectrum/scale"), "log");
}

TEST(SessionStoreTest, SavingAgainKeepsThePreviousVersionAsBackup) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    ASSERT_TRUE(store.save(sampleSession(1.0f)));
    const std::string first = test::readBytes(store.path());
    ASSERT_TRUE(store.save(sampleSession(2.0f)));
    EXPECT_EQ(test::readBytes(store.backupPath()), first);
    EXPECT_EQ(store.load().session.chain.chain[0].params.at("gain_db"), 2.0f);
    // No temporary file is left behind.
    EXPECT_THAT(folder.entries(), ::testing::ElementsAre("session.json", "session.json.bak"));
}

TEST(SessionStoreTest, FirstRunGivesDefaultsWithoutAMessage) {
    test::TempFolder folder;
    const LoadedSession loaded = SessionStore(folder.file("session.json")).load();
    EXPECT_EQ(loaded.origin, SessionOrigin::Defaults);
    EXPECT_THAT(loaded.message, IsEmpty());
    EXPECT_TRUE(loaded.session == kDefaults);
}

TEST(SessionStoreTest, ACutShortFileFallsBackToTheBackupAndSaysWhen) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    ASSERT_TRUE(store.save(sampleSession(1.0f)));
    ASSERT_TRUE(store.save(sampleSession(2.0f)));
    const std::string whole = test::readBytes(store.path());
    folder.write("session.json", whole.substr(0, whole.size() / 2));  // power cut mid-write

    const LoadedSession loaded = store.load();
    EXPECT_EQ(loaded.origin, SessionOrigin::Backup);
    EXPECT_TRUE(loaded.session == sampleSession(1.0f));
    EXPECT_THAT(loaded.message, HasSubstr("the session file was damaged"));
    EXPECT_THAT(loaded.message, HasSubstr("cut short"));
    EXPECT_THAT(loaded.message, HasSubstr("restored the previous one from 20"));  // a date
}

TEST(SessionStoreTest, TheDamagedFileIsSetAsideSoTheNextSaveKeepsTheGoodBackup) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    ASSERT_TRUE(store.save(sampleSession(1.0f)));
    ASSERT_TRUE(store.save(sampleSession(2.0f)));
    const std::string goodBackup = test::readBytes(store.backupPath());
    folder.write("session.json", "{\"format\": \"liverack-sess");
    ASSERT_EQ(store.load().origin, SessionOrigin::Backup);
    EXPECT_TRUE(fs::exists(store.damagedPath()));
    ASSERT_TRUE(store.save(sampleSession(3.0f)));
    EXPECT_EQ(test::readBytes(store.backupPath()), goodBackup);
    EXPECT_EQ(store.load().origin, SessionOrigin::Saved);
}

TEST(SessionStoreTest, ADamagedFileAndADamagedBackupFallBackToDefaults) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    folder.write("session.json", "\x00\x01garbage");
    folder.write("session.json.bak", "[1, 2, 3]");
    const LoadedSession loaded = store.load();
    EXPECT_EQ(loaded.origin, SessionOrigin::Defaults);
    EXPECT_TRUE(loaded.session == kDefaults);
    EXPECT_THAT(loaded.message, HasSubstr("the session file was damaged"));
    EXPECT_THAT(loaded.message, HasSubstr("its backup could not be used either"));
    EXPECT_THAT(loaded.message, HasSubstr("started with the default devices and an empty chain"));
}

TEST(SessionStoreTest, ADamagedFileWithoutBackupFallsBackToDefaultsAndSaysThereIsNoBackup) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    folder.write("session.json", "");
    const LoadedSession loaded = store.load();
    EXPECT_EQ(loaded.origin, SessionOrigin::Defaults);
    EXPECT_THAT(loaded.message, HasSubstr("damaged (it is empty)"));
    EXPECT_THAT(loaded.message, HasSubstr("there is no backup"));
}

TEST(SessionStoreTest, AMissingFileWithABackupRestoresTheBackup) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    ASSERT_TRUE(store.save(sampleSession(1.0f)));
    ASSERT_TRUE(store.save(sampleSession(2.0f)));
    fs::remove(store.path());
    const LoadedSession loaded = store.load();
    EXPECT_EQ(loaded.origin, SessionOrigin::Backup);
    EXPECT_THAT(loaded.message, HasSubstr("the session file was missing; restored the previous"));
    EXPECT_TRUE(loaded.session == sampleSession(1.0f));
}

TEST(SessionStoreTest, AForeignOrNewerFileCountsAsDamaged) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    folder.write("session.json", R"({"format": "liverack-preset", "version": 1})");
    EXPECT_THAT(store.load().message, HasSubstr("not a LiveRack session"));
    folder.write("session.json", R"({"format": "liverack-session", "version": 7})");
    EXPECT_THAT(store.load().message, HasSubstr("newer LiveRack"));
}

TEST(SessionStoreTest, AHugelyNestedFileIsDamagedNotAStackOverflow) {
    // A million levels of nesting in the chain: recursing over it would exhaust the stack.
    const std::string nested = R"({"format": "liverack-session", "version": 1, "chain": )" +
                               std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";
    const auto parsed = SessionStore::parse(nested);
    ASSERT_FALSE(parsed.ok());
    EXPECT_THAT(parsed.error(), HasSubstr("nested more than"));
}

TEST(SessionStoreTest, ABadPartFallsBackAloneAndBecomesAWarning) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    folder.write("session.json", R"({"format": "liverack-session", "version": 1,
        "devices": {"api": "alsa", "rate": "fast", "block": 7},
        "chain": {"format": "liverack-preset", "version": 1, "name": "x",
                  "chain": [{"type": "flanger"}]},
        "autoload": {"rules": [], "fallback": "Room echo"},
        "view": {"a": "b"}})");
    const LoadedSession loaded = store.load();
    EXPECT_EQ(loaded.origin, SessionOrigin::Saved);
    EXPECT_EQ(loaded.session.devices.api, "alsa");
    EXPECT_EQ(loaded.session.devices.sampleRate, kDefaults.devices.sampleRate);
    EXPECT_EQ(loaded.session.devices.blockFrames, kDefaults.devices.blockFrames);
    EXPECT_TRUE(loaded.session.chain.chain.empty());
    EXPECT_EQ(loaded.session.autoload.fallback, "Room echo");
    EXPECT_EQ(loaded.session.view.at("a"), "b");
    ASSERT_EQ(loaded.warnings.size(), 3u);
    EXPECT_THAT(loaded.warnings[0], HasSubstr("\"rate\""));
    EXPECT_THAT(loaded.warnings[1], HasSubstr("\"block\""));
    EXPECT_THAT(loaded.warnings[2], HasSubstr("unknown effect type"));
}

// The virtual microphone is a device setting: saved with the devices, read back as it was; a
// value of the wrong type leaves it off and says so.
TEST(SessionStoreTest, VirtualMicrophoneSettingIsKeptWithTheDevices) {
    test::TempFolder folder;
    const SessionStore store(folder.file("session.json"));
    Session session = sampleSession(0.0f);
    session.virtualMicrophone = true;
    session.virtualMicrophoneName = "Podcast mic";
    ASSERT_TRUE(store.save(session));
    const auto file = nlohmann::json::parse(test::readBytes(folder.file("session.json")));
    EXPECT_EQ(file["devices"]["virtual_mic"], true);
    EXPECT_EQ(file["devices"]["virtual_mic_name"], "Podcast mic");
    const LoadedSession loaded = store.load();
    EXPECT_TRUE(loaded.session.virtualMicrophone);
    EXPECT_EQ(loaded.session.virtualMicrophoneName, "Podcast mic");
    EXPECT_TRUE(loaded.session == session);
    Session off = session;
    off.virtualMicrophone = false;
    EXPECT_FALSE(off == session);

    folder.write("session.json", R"({"format": "liverack-session", "version": 1,
        "devices": {"virtual_mic": "yes"}})");
    const LoadedSession wrong = store.load();
    EXPECT_FALSE(wrong.session.virtualMicrophone);
    ASSERT_EQ(wrong.warnings.size(), 1u);
    EXPECT_THAT(wrong.warnings[0], HasSubstr("\"virtual_mic\""));
}

}  // namespace
}  // namespace liverack::core
