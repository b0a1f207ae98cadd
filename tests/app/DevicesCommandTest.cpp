// `liverack devices --json` lists the running JACK server's `system` device, as a script reads it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/JackServer.h"
#include "tests/support/Subprocess.h"

namespace liverack::test {
namespace {

TEST(DevicesCommandTest, JsonListsTheJackDummyServersSystemDevice) {
    JackServer server(48000, 256);
    ASSERT_TRUE(server.isRunning()) << server.error();
    Subprocess devices({LIVERACK_BINARY, "devices", "--json"},
                       {{"JACK_DEFAULT_SERVER", server.name()}});
    ASSERT_EQ(devices.wait(20.0), 0) << devices.err();
    const auto json = nlohmann::json::parse(devices.out(), nullptr, false);
    ASSERT_FALSE(json.is_discarded()) << devices.out();
    bool found = false;
    for (const auto& api : json["apis"]) {
        if (api["id"] != "jack") {
            continue;
        }
        for (const auto& device : api["devices"]) {
            if (device["name"] == "system") {
                found = true;
                EXPECT_EQ(device["input_channels"], 2);
                EXPECT_EQ(device["output_channels"], 2);
                EXPECT_EQ(device["sample_rates"], nlohmann::json::array({48000}));
            }
        }
    }
    EXPECT_TRUE(found) << devices.out();
}

TEST(DevicesCommandTest, UnknownApiIsBadUsage) {
    Subprocess devices({LIVERACK_BINARY, "devices", "--api", "coreaudio"});
    EXPECT_EQ(devices.wait(20.0), 2);
    EXPECT_NE(devices.err().find("jack"), std::string::npos) << devices.err();
}

}  // namespace
}  // namespace liverack::test
