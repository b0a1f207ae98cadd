// `liverack --headless --web` as a user runs it, on a private JACK server: the page and the API
// answer, /api/snapshot measures the stream (a 440 Hz sine at -18 dBFS: pitch and peak against
// theory), curl reads it like any script would, and the token rule holds end to end: a write
// without the token changes nothing, with it the bypass is heard in the measured level.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "tests/app/LiveRackOnJackTest.h"
#include "tests/support/Subprocess.h"
#include "tests/support/WebTestClient.h"

namespace liverack::test {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

class WebMonitorTest : public LiveRackOnJackTest {
protected:
    // liverack with `--web 0` (a free port) and `extra`; the port it says it serves.
    std::unique_ptr<Subprocess> startServing(std::vector<std::string> extra, uint16_t& port,
                                             std::string* token = nullptr) {
        extra.insert(extra.begin(), {"--web", "0"});
        auto liverack = startLiveRack(extra);
        EXPECT_TRUE(liverack->waitForStderr("web monitor at", 10.0)) << liverack->err();
        std::smatch match;
        const std::string err = liverack->err();
        if (std::regex_search(err, match, std::regex(R"(web monitor at http://127\.0\.0\.1:(\d+)/)"))) {
            port = static_cast<uint16_t>(std::stoi(match[1].str()));
        }
        if (token != nullptr &&
            std::regex_search(err, match, std::regex(R"(\?token=([0-9a-f]{32}))"))) {
            *token = match[1].str();
        }
        return liverack;
    }

    // The snapshots the monitor pushes, until one satisfies `wanted` (its JSON, without "type").
    static Json waitForSnapshot(uint16_t port, const std::function<bool(const Json&)>& wanted) {
        WebSocketTestClient client;
        EXPECT_TRUE(client.connect(port));
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto message = client.readUntil(R"("type":"snapshot")", 5s);
            if (!message) {
                break;
            }
            Json snapshot = Json::parse(message->data);
            if (wanted(snapshot)) {
                return snapshot;
            }
        }
        ADD_FAILURE() << "no snapshot came that was wanted";
        return {};
    }

    static double loudestPeak(const Json& snapshot) {
        double peak = -1000.0;
        for (const Json& channel : snapshot["sample_peak_dbfs"]) {
            peak = std::max(peak, channel.is_number() ? channel.get<double>() : -1000.0);
        }
        return peak;
    }
};

TEST_F(WebMonitorTest, TheSnapshotOfASineAtMinus18HasItsPitchAndPeakAndCurlReadsIt) {
    uint16_t port = 0;
    auto liverack = startServing({"--source", "sine:440"}, port);
    ASSERT_NE(port, 0) << liverack->err();
    // Settled: a second in, the 300 ms meters and the pitch window hold the steady tone.
    waitForSnapshot(port, [](const Json& s) {
        return s["time_s"].get<double>() > 1.0 && s["pitch"]["voiced"].get<bool>();
    });

    const HttpReply reply = httpRequest(port, "GET", "/api/snapshot");
    ASSERT_EQ(reply.status, 200) << reply.body;
    const Json snapshot = Json::parse(reply.body);
    EXPECT_NEAR(snapshot["pitch"]["hz"].get<double>(), 440.0, 0.1);
    EXPECT_EQ(snapshot["pitch"]["note"], "A4");
    ASSERT_EQ(snapshot["sample_peak_dbfs"].size(), 2u);
    for (const Json& peak : snapshot["sample_peak_dbfs"]) {
        EXPECT_NEAR(peak.get<double>(), -18.0, 0.1);
    }
    // A sine's RMS is its peak less 3.01 dB.
    EXPECT_NEAR(snapshot["rms_dbfs"][0].get<double>(), -18.0 - 3.0103, 0.1);
    EXPECT_NEAR(snapshot["spectrum"]["peak_hz"].get<double>(), 440.0, 0.5);
    EXPECT_EQ(snapshot["stream"]["api"], "JACK");
    EXPECT_EQ(snapshot["stream"]["sample_rate"], 48000.0);

    // Any script: curl, knowing nothing of LiveRack.
    Subprocess curl({"/usr/bin/curl", "-s", "--max-time", "10",
                     "http://127.0.0.1:" + std::to_string(port) + "/api/snapshot"});
    ASSERT_EQ(curl.wait(15.0), 0) << curl.err();
    const Json fromCurl = Json::parse(curl.out(), nullptr, false);
    ASSERT_FALSE(fromCurl.is_discarded()) << curl.out();
    EXPECT_NEAR(fromCurl["pitch"]["hz"].get<double>(), 440.0, 0.1);
    EXPECT_NEAR(loudestPeak(fromCurl), -18.0, 0.1);

    // The page itself.
    const HttpReply page = httpRequest(port, "GET", "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("LiveRack"), std::string::npos);

    const Json stats = stopLiveRack(*liverack);
    ASSERT_TRUE(stats.contains("web")) << stats.dump();
    EXPECT_EQ(stats["web"]["control"], false);
}

TEST_F(WebMonitorTest, WritesNeedTheTokenAndABypassIsHeardInTheLevel) {
    uint16_t port = 0;
    std::string token;
    auto liverack =
        startServing({"--source", "sine:440", "--gain-db", "-6", "--web-control"}, port, &token);
    ASSERT_NE(port, 0) << liverack->err();
    ASSERT_EQ(token.size(), 32u) << liverack->err();
    const auto settledAt = [](double db) {
        return [db](const Json& s) {
            return s["time_s"].get<double>() > 0.5 && std::abs(loudestPeak(s) - db) < 0.1;
        };
    };
    waitForSnapshot(port, settledAt(-24.0));  // the sine through -6 dB

    const HttpReply refused = httpRequest(port, "POST", "/api/chain/0/bypass", "true");
    EXPECT_EQ(refused.status, 401);
    const HttpReply wrong = httpRequest(port, "POST", "/api/chain/0/bypass", "true",
                                        {{"Authorization", "Bearer " + std::string(32, '0')}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(Json::parse(httpRequest(port, "GET", "/api/chain").body)["slots"][0]["bypassed"],
              false);

    const HttpReply bypassed = httpRequest(port, "POST", "/api/chain/0/bypass", "true",
                                           {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(bypassed.status, 200) << bypassed.body;
    waitForSnapshot(port, settledAt(-18.0));  // the gain is out: the sine as generated

    const HttpReply params = httpRequest(port, "POST", "/api/chain/0/params",
                                         R"({"gain_db": -12})",
                                         {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(params.status, 200) << params.body;
    httpRequest(port, "POST", "/api/chain/0/bypass", "false",
                {{"Authorization", "Bearer " + token}});
    waitForSnapshot(port, settledAt(-30.0));

    const HttpReply unknown = httpRequest(port, "POST", "/api/chain/0/params", R"({"gian_db": 1})",
                                          {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(unknown.body.find("did you mean \\\"gain_db\\\""), std::string::npos)
        << unknown.body;
    stopLiveRack(*liverack);
}

TEST_F(WebMonitorTest, BadWebOptionsAreUsageErrorsAndABusyPortIsASentence) {
    Subprocess controlAlone({LIVERACK_BINARY, "--headless", "--web-control"});
    EXPECT_EQ(controlAlone.wait(20.0), 2);
    EXPECT_NE(controlAlone.err().find("give --web [ADDR:]PORT as well"), std::string::npos)
        << controlAlone.err();
    Subprocess badPort({LIVERACK_BINARY, "--headless", "--web", "87654"});
    EXPECT_EQ(badPort.wait(20.0), 2);
    EXPECT_NE(badPort.err().find("is not a port number"), std::string::npos) << badPort.err();

    uint16_t port = 0;
    auto first = startServing({"--source", "sine:440"}, port);
    ASSERT_NE(port, 0);
    Subprocess second({LIVERACK_BINARY, "--headless", "--api", "jack", "--no-autoconnect",
                       "--source", "sine:440", "--web", std::to_string(port)},
                      {{"JACK_DEFAULT_SERVER", server_->name()}});
    EXPECT_EQ(second.wait(20.0), 1);
    EXPECT_NE(second.err().find("is in use by another program"), std::string::npos)
        << second.err();
    stopLiveRack(*first);
}

}  // namespace
}  // namespace liverack::test
