// The fixture of the network tests: a private JACK dummy server per test, `liverack --headless`
// started on it unconnected (the server's clock paces it) and stopped for its statistics, and a
// folder for the files. LIVERACK_BINARY is the program under test (each test target defines it).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/HeadlessLiveRack.h"
#include "tests/support/JackServer.h"
#include "tests/support/Subprocess.h"
#include "tests/support/TempFolder.h"

namespace liverack::test {

class LiveRackOnJackTest : public ::testing::Test {
protected:
    void SetUp() override {
        server_ = JackServer::startWithRetries();
        ASSERT_TRUE(server_->isRunning()) << server_->error();
    }
    std::unique_ptr<Subprocess> startLiveRack(const std::vector<std::string>& arguments) {
        return startHeadlessLiveRack(LIVERACK_BINARY, *server_, arguments);
    }
    static nlohmann::json stopLiveRack(Subprocess& liverack) {
        return stopHeadlessLiveRack(liverack);
    }
    std::unique_ptr<JackServer> server_;
    TempFolder folder_;
};

}  // namespace liverack::test
