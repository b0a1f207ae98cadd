// The web monitor's server in this process, over real loopback sockets, with the test as both the
// analysis thread (it publishes the monitor snapshot) and the audio thread (it feeds the taps).
// Properties: the JSON carries exactly what was measured; writes need --web-control and the
// token; malformed, oversized and foreign requests are refused; clients that vanish, overflow or
// hang leave nothing behind; the listen audio is the tap's, sample for sample (PCM) or in pitch
// and level (Opus, decoded here by libopus).
#include "core/net/WebServer.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <opus/opus.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/GainEffect.h"
#include "core/engine/SampleTaps.h"
#include "core/net/ChainControl.h"
#include "core/net/ListenEncoder.h"
#include "core/net/WebSocketSession.h"
#include "tests/support/WebTestClient.h"

namespace liverack::core {
namespace {

using Json = nlohmann::json;
using test::httpRequest;
using test::WebSocketTestClient;
using namespace std::chrono_literals;

constexpr double kRate = 48000.0;
constexpr uint32_t kChannels = 2;
constexpr uint32_t kBlock = 240;
constexpr double kPi = std::numbers::pi;

size_t threadCount() {
    size_t count = 0;
    if (DIR* tasks = opendir("/proc/self/task")) {
        while (const dirent* entry = readdir(tasks)) {
            count += entry->d_name[0] != '.';
        }
        closedir(tasks);
    }
    return count;
}

uint32_t u32(const std::string& bytes, size_t at) {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        value |= uint32_t(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
    }
    return value;
}

// Waits (bounded) until `condition` holds, checking as events allow; false at the deadline.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::yield();
    }
    return true;
}

class WebServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        taps_.prepare(kRate, kChannels, 1024);
        block_.resize(kChannels, kBlock);
        slots_.push_back(std::make_shared<EffectSlot>(std::make_unique<GainEffect>()));
        chain_.setSlots(slots_);
    }
    void TearDown() override { server_.reset(); }

    void startServer(bool control = false, size_t maxClients = 64, int idleSeconds = 20) {
        WebServerOptions options;
        options.address.port = 0;
        options.control = control;
        options.maxClients = maxClients;
        options.idleTimeoutSeconds = idleSeconds;
        options.pageFolder = WebServerOptions::installedPageFolder();
        auto started = WebServer::start(options, &chain_);
        ASSERT_TRUE(started) << started.error();
        server_ = std::move(*started);
        WebSources sources;
        sources.monitor = &monitor_;
        sources.taps = &taps_;
        sources.facts = [] {
            WebStreamFacts facts;
            facts.api = "Test";
            facts.sampleRate = kRate;
            facts.channels = kChannels;
            facts.running = true;
            return facts;
        };
        server_->attach(sources);
    }

    // A sine at 440 Hz, -18 dBFS peak, voiced, as the analysis thread would publish it.
    void publishSnapshot() {
        MonitorSnapshot& m = monitor_.writeSlot();
        m = MonitorSnapshot{};
        m.sequence = ++sequence_;
        for (LevelSnapshot* levels : {&m.preLevels, &m.postLevels}) {
            levels->sequence = m.sequence;
            levels->streamTimeSeconds = 1.5;
            levels->channelCount = kChannels;
            for (uint32_t c = 0; c < kChannels; ++c) {
                levels->channels[c] = {-18.0f, -21.0103f, -18.0f, 0};
            }
        }
        m.loudness = {m.sequence, 1.5,  -18.7f, -std::numeric_limits<float>::infinity(),
                      -18.66f,    0.0f, -17.99f};
        m.pitch.sequence = m.sequence;
        m.pitch.voiced = true;
        m.pitch.hz = 440.0213f;
        m.pitch.confidence = 0.99f;
        m.pitch.midiNote = 69;
        m.pitch.cents = 0.1f;
        m.pitch.referenceA4Hz = 440.0f;
        std::strcpy(m.pitch.noteName.data(), "A4");
        m.spectrumSampleRate = kRate;
        m.spectrumFftSize = 8192;
        m.spectrumPeakHz = 440.0f;
        m.spectrumPeakDb = -18.0f;
        m.spectrumMinHz = 20.0f;
        m.spectrumMaxHz = 20000.0f;
        m.spectrumDb.fill(-120.0f);
        monitor_.publish();
    }

    // The test as the audio thread: `frames` of a sine (left) and its inverse (right).
    void feed(size_t frames, double hz = 1000.0, float amplitude = 0.5f) {
        for (size_t done = 0; done < frames; done += kBlock) {
            for (uint32_t n = 0; n < kBlock; ++n) {
                const double phase = 2.0 * kPi * hz * double(fed_ + n) / kRate;
                block_.channel(0)[n] = amplitude * float(std::sin(phase));
                block_.channel(1)[n] = -amplitude * float(std::sin(phase));
            }
            taps_.beginBlock();
            taps_.feed(Tap::Post, block_.block(kBlock));
            fed_ += kBlock;
        }
    }

    SampleTaps taps_;
    AudioBuffer block_;
    uint64_t fed_ = 0;
    LatestValue<MonitorSnapshot> monitor_;
    uint64_t sequence_ = 0;
    std::vector<std::shared_ptr<EffectSlot>> slots_;
    ChainControl chain_;
    std::unique_ptr<WebServer> server_;
};

TEST_F(WebServerTest, TheSnapshotIsRefusedUntilSomethingWasMeasuredThenCarriesIt) {
    startServer();
    test::HttpReply before = httpRequest(server_->port(), "GET", "/api/snapshot");
    EXPECT_EQ(before.status, 503);
    EXPECT_NE(before.body.find("nothing has been measured yet"), std::string::npos);

    publishSnapshot();
    test::HttpReply reply = httpRequest(server_->port(), "GET", "/api/snapshot");
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.headers["content-type"], "application/json");
    const Json json = Json::parse(reply.body);
    EXPECT_EQ(json["sample_peak_dbfs"], Json::array({-18.0, -18.0}));
    EXPECT_DOUBLE_EQ(json["rms_dbfs"][0].get<double>(), -21.01);
    EXPECT_DOUBLE_EQ(json["pitch"]["hz"].get<double>(), 440.021);
    EXPECT_EQ(json["pitch"]["note"], "A4");
    EXPECT_EQ(json["pitch"]["midi_note"], 69);
    EXPECT_DOUBLE_EQ(json["spectrum"]["peak_hz"].get<double>(), 440.0);
    EXPECT_EQ(json["spectrum"]["db"].size(), kMonitorSpectrumBands);
    // Not yet measurable is null, not a number JSON cannot hold.
    EXPECT_TRUE(json["loudness"]["short_term_lufs"].is_null());
    EXPECT_DOUBLE_EQ(json["loudness"]["integrated_lufs"].get<double>(), -18.66);
    EXPECT_EQ(json["stream"]["api"], "Test");
    EXPECT_EQ(json["web"]["control"], false);
}

TEST_F(WebServerTest, ThePageIsServedWithItsScriptsAndNothingElse) {
    startServer();
    ASSERT_TRUE(server_->hasPage());
    test::HttpReply page = httpRequest(server_->port(), "GET", "/?token=abc");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
    EXPECT_NE(page.headers["content-security-policy"].find("default-src 'self'"),
              std::string::npos);
    EXPECT_NE(page.body.find("monitor.js"), std::string::npos);
    for (const char* file : {"/monitor.js", "/monitor.css", "/listen-worklet.js"}) {
        EXPECT_EQ(httpRequest(server_->port(), "GET", file).status, 200) << file;
    }
    // No path reaches outside the page's four files.
    for (const char* other :
         {"/../CMakeLists.txt", "/%2e%2e/etc/passwd", "/index.htm", "/favicon.ico"}) {
        EXPECT_EQ(httpRequest(server_->port(), "GET", other).status, 404) << other;
    }
}

TEST_F(WebServerTest, WritesAreForbiddenWhenControlIsOffButReadsAnswer) {
    startServer(false);
    EXPECT_EQ(httpRequest(server_->port(), "POST", "/api/chain/0/bypass", "true").status, 403);
    EXPECT_EQ(httpRequest(server_->port(), "POST", "/api/chain/0/bypass", "true",
                          {{"Authorization", "Bearer " + server_->token()}})
                  .status,
              403);
    EXPECT_FALSE(slots_[0]->isBypassed());
    test::HttpReply chain = httpRequest(server_->port(), "GET", "/api/chain");
    ASSERT_EQ(chain.status, 200);
    const Json json = Json::parse(chain.body);
    EXPECT_EQ(json["control"], false);
    EXPECT_EQ(json["slots"][0]["type"], "gain");
    EXPECT_EQ(json["slots"][0]["params"][0]["id"], "gain_db");
}

TEST_F(WebServerTest, WritesNeedTheTokenAndAreValidatedLikeAPreset) {
    startServer(true);
    const uint16_t port = server_->port();
    const std::string bearer = "Bearer " + server_->token();
    EXPECT_EQ(server_->token().size(), 32u);

    test::HttpReply anonymous = httpRequest(port, "POST", "/api/chain/0/bypass", "true");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.headers["www-authenticate"], "Bearer");
    std::string wrong = server_->token();
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    EXPECT_EQ(httpRequest(port, "POST", "/api/chain/0/bypass", "true",
                          {{"Authorization", "Bearer " + wrong}})
                  .status,
              401);
    EXPECT_EQ(httpRequest(port, "POST", "/api/chain/0/params", "{\"gain_db\": -6}",
                          {{"Authorization", server_->token()}})
                  .status,
              401);  // the scheme is part of the header
    EXPECT_FALSE(slots_[0]->isBypassed());
    EXPECT_EQ(slots_[0]->effect().parameters().get(GainEffect::kGainDb), 0.0f);

    EXPECT_EQ(httpRequest(port, "POST", "/api/chain/0/bypass", "true", {{"Authorization", bearer}})
                  .status,
              200);
    EXPECT_TRUE(slots_[0]->isBypassed());
    test::HttpReply set =
        httpRequest(port, "POST", "/api/chain/0/params", "{\"gain_db\": -6, \"mute\": true}",
                    {{"Authorization", bearer}});
    EXPECT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(slots_[0]->effect().parameters().get(GainEffect::kGainDb), -6.0f);
    EXPECT_TRUE(slots_[0]->effect().parameters().getBool(GainEffect::kMute));

    // An unknown id: the preset reader's sentence, and nothing of the body applied.
    test::HttpReply unknown =
        httpRequest(port, "POST", "/api/chain/0/params", "{\"gain_db\": -3, \"gain_dbb\": 1}",
                    {{"Authorization", bearer}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(Json::parse(unknown.body)["error"].get<std::string>().rfind(
                  "slot 0 (gain), parameter \"gain_dbb\": is not a parameter of gain", 0),
              0u)
        << unknown.body;
    EXPECT_EQ(slots_[0]->effect().parameters().get(GainEffect::kGainDb), -6.0f);
    // Out of range: clamped, as a preset would be, and said so.
    test::HttpReply clamped = httpRequest(port, "POST", "/api/chain/0/params", "{\"gain_db\": 99}",
                                          {{"Authorization", bearer}});
    EXPECT_EQ(clamped.status, 200);
    EXPECT_NE(clamped.body.find("clamped to 24"), std::string::npos) << clamped.body;
    EXPECT_EQ(slots_[0]->effect().parameters().get(GainEffect::kGainDb), 24.0f);

    EXPECT_EQ(httpRequest(port, "POST", "/api/chain/0/bypass", "maybe", {{"Authorization", bearer}})
                  .status,
              400);
    EXPECT_EQ(
        httpRequest(port, "POST", "/api/chain/0/params", "[1]", {{"Authorization", bearer}}).status,
        400);
    EXPECT_EQ(httpRequest(port, "POST", "/api/chain/7/bypass", "true", {{"Authorization", bearer}})
                  .status,
              404);
    EXPECT_EQ(httpRequest(port, "GET", "/api/chain/0/bypass").status, 405);
    const Json chain = Json::parse(httpRequest(port, "GET", "/api/chain").body);
    EXPECT_EQ(chain["slots"][0]["bypassed"], true);
    EXPECT_EQ(chain["slots"][0]["params"][4]["value"], true);
}

TEST_F(WebServerTest, MalformedAndOversizedRequestsAreRefusedAndTheServerGoesOn) {
    startServer();
    const uint16_t port = server_->port();
    EXPECT_EQ(test::rawExchange(port, "GARBAGE\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
    EXPECT_EQ(test::rawExchange(port, "GET / HTTP/9.9\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
    const std::string longHeader =
        "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(9000, 'a') + "\r\n\r\n";
    EXPECT_EQ(test::rawExchange(port, longHeader).rfind("HTTP/1.1 431", 0), 0u);
    const std::string bigBody = std::string(65 * 1024 + 1, '{');
    EXPECT_EQ(httpRequest(port, "POST", "/api/chain/0/params", bigBody).status, 413);
    EXPECT_EQ(httpRequest(port, "GET", "/ws").status, 426);  // not an upgrade
    EXPECT_EQ(httpRequest(port, "GET", "/api/chain").status, 200);
}

TEST_F(WebServerTest, AnOversizedWebSocketMessageClosesThatClientWithTooBig) {
    startServer();
    WebSocketTestClient client;
    ASSERT_TRUE(client.connect(server_->port()));
    ASSERT_TRUE(client.readUntil(R"("type":"hello")", 5s));
    client.sendText(std::string(WebSocketSession::kMaxMessageBytes + 1, 'x'));
    while (client.read(5s)) {
    }
    EXPECT_TRUE(client.closed());
    EXPECT_EQ(client.closeCode(), 1009);
    // Others are served still.
    WebSocketTestClient other;
    ASSERT_TRUE(other.connect(server_->port()));
    EXPECT_TRUE(other.readUntil(R"("type":"hello")", 5s));
}

TEST_F(WebServerTest, AWebSocketFromAnotherSitesPageIsRefused) {
    startServer();
    WebSocketTestClient foreign;
    EXPECT_FALSE(foreign.connect(server_->port(), "http://evil.example"));
    EXPECT_EQ(foreign.refusedStatus(), 403);
    WebSocketTestClient own;
    EXPECT_TRUE(
        own.connect(server_->port(), "http://127.0.0.1:" + std::to_string(server_->port())));
}

TEST_F(WebServerTest, TheClientOverTheLimitIsRefusedPolitelyAndAdmittedOnceOneLeaves) {
    startServer(false, 64);
    std::vector<std::unique_ptr<WebSocketTestClient>> clients;
    for (int i = 0; i < 64; ++i) {
        clients.push_back(std::make_unique<WebSocketTestClient>());
        ASSERT_TRUE(clients.back()->connect(server_->port())) << i;
        ASSERT_TRUE(clients.back()->readUntil(R"("type":"hello")", 5s)) << i;
    }
    EXPECT_EQ(server_->counts().clients, 64u);
    WebSocketTestClient extra;
    EXPECT_FALSE(extra.connect(server_->port()));
    EXPECT_EQ(extra.refusedStatus(), 503);
    clients.front()->abort();
    ASSERT_TRUE(eventually([&] { return server_->counts().clients == 63; }));
    WebSocketTestClient late;
    EXPECT_TRUE(late.connect(server_->port()));
}

TEST_F(WebServerTest, AHundredClientsThatVanishLeaveNoSessionNoListenerAndNoThread) {
    const size_t before = threadCount();
    startServer();
    const size_t serving = threadCount();
    EXPECT_EQ(serving, before + 1);  // the server's one thread
    publishSnapshot();
    for (int i = 0; i < 100; ++i) {
        WebSocketTestClient client;
        ASSERT_TRUE(client.connect(server_->port())) << i;
        ASSERT_TRUE(client.readUntil(R"("type":"hello")", 5s)) << i;
        if (i % 2 == 0) {
            client.sendText(std::string(R"({"type":"listen","tap":"post","codec":")") +
                            (i % 4 == 0 ? "opus" : "pcm") + "\"}");
            ASSERT_TRUE(client.readUntil(R"("type":"listen")", 5s)) << i;
            feed(4800);
        }
        if (i % 3 == 0) {
            EXPECT_EQ(httpRequest(server_->port(), "GET", "/api/snapshot").status, 200);
        }
        client.abort();  // gone, without a close handshake
    }
    ASSERT_TRUE(eventually([&] { return server_->counts().clients == 0; }));
    EXPECT_EQ(server_->counts().listeners, 0u);
    EXPECT_EQ(threadCount(), serving);
    // Nobody listens, so the audio thread no longer feeds the listen ring.
    taps_.listen(Tap::Post).discard();
    feed(4800);
    EXPECT_EQ(taps_.listen(Tap::Post).availableFrames(), 0u);
    server_.reset();
    EXPECT_EQ(threadCount(), before);
}

TEST_F(WebServerTest, AClientThatStopsAnsweringIsDropped) {
    startServer(false, 64, 1);
    WebSocketTestClient stuck;
    ASSERT_TRUE(stuck.connect(server_->port()));
    ASSERT_TRUE(stuck.readUntil(R"("type":"hello")", 5s));
    stuck.sendText(R"({"type":"listen","tap":"post","codec":"pcm"})");
    ASSERT_EQ(server_->counts().clients, 1u);
    // It reads nothing from now on, so it answers no ping: the server's idle timeout ends it,
    // with the audio still flowing towards it.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (server_->counts().clients != 0 && std::chrono::steady_clock::now() < deadline) {
        feed(480);
        publishSnapshot();
        std::this_thread::sleep_for(10ms);  // the pace of a stream, not a synchronisation
    }
    EXPECT_EQ(server_->counts().clients, 0u);
    EXPECT_EQ(server_->counts().listeners, 0u);
}

TEST_F(WebServerTest, PcmListenCarriesThePostTapSampleForSample) {
    startServer();
    WebSocketTestClient client;
    ASSERT_TRUE(client.connect(server_->port()));
    client.sendText(R"({"type":"listen","tap":"post","codec":"pcm"})");
    const auto answer = client.readUntil(R"("type":"listen")", 5s);
    ASSERT_TRUE(answer);
    const Json listen = Json::parse(answer->data);
    EXPECT_EQ(listen["codec"], "pcm");
    EXPECT_EQ(listen["sample_rate"], 48000);
    EXPECT_EQ(listen["channels"], 2);

    // The ring was emptied when the tap went on: what is fed from now on is what arrives.
    const uint64_t start = fed_;
    constexpr size_t kMessages = 50;
    feed(kMessages * 480);
    std::vector<int16_t> received;
    uint32_t expectedSequence = 0;
    for (size_t m = 0; m < kMessages; ++m) {
        const auto message = client.readUntil("", 5s, true);
        ASSERT_TRUE(message) << m;
        const std::string& bytes = message->data;
        ASSERT_EQ(bytes.size(), ListenEncoder::kHeaderBytes + 480 * 2 * 2);
        EXPECT_EQ(uint8_t(bytes[0]), 1);  // audio
        EXPECT_EQ(uint8_t(bytes[1]), 0);  // PCM
        EXPECT_EQ(uint8_t(bytes[2]), 2);
        EXPECT_EQ(u32(bytes, 4), 48000u);
        EXPECT_EQ(u32(bytes, 8), 480u);
        if (m > 0) {
            EXPECT_EQ(u32(bytes, 12), expectedSequence);
        }
        expectedSequence = u32(bytes, 12) + 1;
        double sentMs = 0.0;
        std::memcpy(&sentMs, bytes.data() + 16, 8);
        const double nowMs = std::chrono::duration<double, std::milli>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
        EXPECT_LT(std::abs(nowMs - sentMs), 5000.0);
        for (size_t i = ListenEncoder::kHeaderBytes; i < bytes.size(); i += 2) {
            received.push_back(
                static_cast<int16_t>(uint8_t(bytes[i]) | (uint8_t(bytes[i + 1]) << 8)));
        }
    }
    size_t differing = 0;
    for (size_t n = 0; n < kMessages * 480; ++n) {
        const double phase = 2.0 * kPi * 1000.0 * double(start + n) / kRate;
        const float left = 0.5f * float(std::sin(phase));
        const auto expectedLeft = static_cast<int16_t>(std::lround(left * 32767.0f));
        const auto expectedRight = static_cast<int16_t>(std::lround(-left * 32767.0f));
        differing += received[2 * n] != expectedLeft;
        differing += received[2 * n + 1] != expectedRight;
    }
    EXPECT_EQ(differing, 0u);
}

TEST_F(WebServerTest, OpusListenDecodesToTheTapsPitchAndLevel) {
    startServer();
    WebSocketTestClient client;
    ASSERT_TRUE(client.connect(server_->port()));
    client.sendText(R"({"type":"listen","tap":"post","codec":"opus"})");
    ASSERT_TRUE(client.readUntil(R"("type":"listen")", 5s));
    int status = 0;
    OpusDecoder* decoder = opus_decoder_create(48000, 2, &status);
    ASSERT_EQ(status, OPUS_OK);
    constexpr size_t kMessages = 100;  // a second
    feed(kMessages * 480, 1000.0, 0.25f);
    std::vector<float> left;
    for (size_t m = 0; m < kMessages; ++m) {
        const auto message = client.readUntil("", 5s, true);
        ASSERT_TRUE(message) << m;
        ASSERT_EQ(uint8_t(message->data[1]), 1);  // Opus
        ASSERT_EQ(u32(message->data, 8), 480u);
        float pcm[480 * 2];
        const int frames = opus_decode_float(
            decoder, reinterpret_cast<const unsigned char*>(message->data.data()) + 24,
            static_cast<opus_int32>(message->data.size() - 24), pcm, 480, 0);
        ASSERT_EQ(frames, 480);
        for (int n = 0; n < frames; ++n) {
            left.push_back(pcm[2 * n]);
        }
    }
    opus_decoder_destroy(decoder);
    // The last half second, past the codec's start: RMS of a 0.25 sine is -15.05 dBFS, and its
    // power sits at 1 kHz (a DFT bin of the half second).
    const size_t from = left.size() / 2;
    double power = 0.0;
    std::complex<double> at1k = 0.0;
    for (size_t n = from; n < left.size(); ++n) {
        power += double(left[n]) * left[n];
        at1k += double(left[n]) * std::polar(1.0, -2.0 * kPi * 1000.0 * double(n) / kRate);
    }
    const double count = double(left.size() - from);
    const double rmsDb = 10.0 * std::log10(power / count);
    EXPECT_NEAR(rmsDb, 20.0 * std::log10(0.25 / std::sqrt(2.0)), 0.3);
    const double toneShare = 2.0 * std::norm(at1k) / (count * count) / (power / count);
    EXPECT_GT(toneShare, 0.99);
}

TEST_F(WebServerTest, ListenersOfAReattachedStreamAreToldToAskAgain) {
    startServer();
    WebSocketTestClient client;
    ASSERT_TRUE(client.connect(server_->port()));
    client.sendText(R"({"type":"listen","tap":"post","codec":"pcm"})");
    ASSERT_TRUE(client.readUntil(R"("type":"listen")", 5s));
    ASSERT_EQ(server_->counts().listeners, 1u);
    server_->detach();
    taps_.prepare(44100.0, 1, 512);  // a new stream
    WebSources sources;
    sources.monitor = &monitor_;
    sources.taps = &taps_;
    server_->attach(sources);
    const auto stopped = client.readUntil(R"("type":"stopped")", 5s);
    ASSERT_TRUE(stopped);
    EXPECT_NE(stopped->data.find("listen again"), std::string::npos);
    client.sendText(R"({"type":"listen","tap":"post","codec":"pcm"})");
    const auto again = client.readUntil(R"("type":"listen")", 5s);
    ASSERT_TRUE(again);
    EXPECT_EQ(Json::parse(again->data)["sample_rate"], 44100);
    EXPECT_EQ(Json::parse(again->data)["channels"], 1);
}

TEST_F(WebServerTest, APortInUseIsASentence) {
    startServer();
    WebServerOptions options;
    options.address.port = server_->port();
    auto second = WebServer::start(options, nullptr);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().find("is in use by another program"), std::string::npos)
        << second.error();
}

}  // namespace
}  // namespace liverack::core
