// `liverack` (the window) as a user runs it, on the offscreen platform: a SIGTERM (logout, kill)
// or SIGINT (Ctrl+C in the terminal) closes it like the close button, saving the session, and
// the next start restores that session.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/Subprocess.h"
#include "tests/support/TempFolder.h"

namespace liverack::test {
namespace {

constexpr double kStartTimeout = 30.0;

class WindowCommandTest : public ::testing::TestWithParam<int> {
protected:
    // A home of its own: the session goes to <XDG_DATA_HOME>/LiveRack/liverack/session.json.
    std::map<std::string, std::string> environment() const {
        return {{"QT_QPA_PLATFORM", "offscreen"},
                {"XDG_DATA_HOME", home_.file("data")},
                {"XDG_CONFIG_HOME", home_.file("config")},
                {"LIVERACK_REPORT_STARTUP", "1"}};
    }
    std::string sessionFile() const { return home_.file("data/LiveRack/liverack/session.json"); }

    TempFolder home_;
};

TEST_P(WindowCommandTest, SignalClosesTheWindowCleanlyAndTheSessionIsSavedAndRestored) {
    {
        Subprocess liverack({LIVERACK_BINARY, "--api", "null", "--source", "pink", "--preset",
                             LIVERACK_FACTORY_PRESET_DIR "/room-echo.json"},
                            environment());
        ASSERT_TRUE(liverack.started());
        ASSERT_TRUE(liverack.waitForStderr("first window painted", kStartTimeout))
            << liverack.err();
        // Well before the first autosave (5 s): only closing can have written the session.
        ASSERT_FALSE(std::filesystem::exists(sessionFile()));
        liverack.sendSignal(GetParam());
        ASSERT_EQ(liverack.wait(20.0), 0) << liverack.err();
    }
    const std::string text = readBytes(sessionFile());
    const auto session = nlohmann::json::parse(text, nullptr, false);
    ASSERT_FALSE(session.is_discarded()) << text;
    EXPECT_EQ(session["devices"]["source"], "pink");
    ASSERT_EQ(session["chain"]["chain"].size(), 2u);
    EXPECT_EQ(session["chain"]["chain"][0]["type"], "delay");
    EXPECT_EQ(session["chain"]["chain"][1]["type"], "reverb");
    EXPECT_EQ(session["view"]["preset/current"], "Room echo");

    // The next start restores it (and says nothing about a damaged session).
    Subprocess again({LIVERACK_BINARY}, environment());
    ASSERT_TRUE(again.started());
    ASSERT_TRUE(again.waitForStderr("first window painted", kStartTimeout)) << again.err();
    again.sendSignal(SIGTERM);
    ASSERT_EQ(again.wait(20.0), 0) << again.err();
    const auto restored = nlohmann::json::parse(readBytes(sessionFile()), nullptr, false);
    ASSERT_FALSE(restored.is_discarded());
    EXPECT_EQ(restored["chain"], session["chain"]);
    EXPECT_EQ(restored["devices"], session["devices"]);
    EXPECT_EQ(restored["view"]["preset/current"], "Room echo");
    // Saved over the first: the first is the backup now.
    EXPECT_TRUE(std::filesystem::exists(sessionFile() + ".bak"));
}

INSTANTIATE_TEST_SUITE_P(Signals, WindowCommandTest, ::testing::Values(SIGTERM, SIGINT));

}  // namespace
}  // namespace liverack::test
