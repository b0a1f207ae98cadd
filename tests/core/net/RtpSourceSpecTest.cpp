// What an RTP source listens for, from its URL and from an SDP file: the defaults, every way of
// naming the address (all, unicast IPv4 and IPv6, a multicast group), every option, and for each
// thing that cannot be listened to a sentence that names it.
#include "core/net/RtpSourceSpec.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

RtpSourceSpec parsed(const std::string& url) {
    auto spec = parseRtpSourceUrl(url);
    EXPECT_TRUE(spec) << url << ": " << spec.error();
    return spec ? *spec : RtpSourceSpec{};
}

// The sentence for a URL that must be refused; it names the URL and contains `names`.
void expectRefused(const std::string& url, const std::string& names) {
    auto spec = parseRtpSourceUrl(url);
    ASSERT_FALSE(spec) << url << " was accepted";
    const std::string& sentence = spec.error();
    EXPECT_NE(sentence.find(url), std::string::npos) << sentence;
    EXPECT_NE(sentence.find(names), std::string::npos) << url << ": " << sentence;
    EXPECT_GT(sentence.size(), url.size() + 20) << "not a sentence: " << sentence;
}

TEST(RtpSourceSpecTest, AUrlWithOnlyAPortTakesTheDefaults) {
    const RtpSourceSpec spec = parsed("rtp://@:5006");
    EXPECT_EQ(spec.port, 5006);
    EXPECT_EQ(spec.bindAddress, "");
    EXPECT_EQ(spec.codec, RtpCodec::Opus);
    EXPECT_EQ(spec.latencyMs, 40.0);
    EXPECT_EQ(spec.latencyMs, RtpSourceSpec::kDefaultLatencyMs);
    EXPECT_EQ(spec.channels, 2u);
    EXPECT_EQ(spec.clockRate, 48000u);
    EXPECT_FALSE(spec.payloadType.has_value());
    EXPECT_EQ(spec.maxLatency(), 200.0);  // max(200, 4 × 40)
    EXPECT_EQ(spec.origin, "rtp://@:5006");
}

TEST(RtpSourceSpecTest, EveryWayOfNamingTheAddressIsKept) {
    EXPECT_EQ(parsed("rtp://:5006").bindAddress, "");
    EXPECT_EQ(parsed("rtp://:5006").port, 5006);
    EXPECT_EQ(parsed("rtp://127.0.0.1:5006").bindAddress, "127.0.0.1");
    EXPECT_EQ(parsed("rtp://127.0.0.1:5006").port, 5006);
    EXPECT_EQ(parsed("rtp://[::1]:5006").bindAddress, "::1");
    EXPECT_EQ(parsed("rtp://[::1]:5006").port, 5006);
    // A multicast group: bound (and joined by the source).
    EXPECT_EQ(parsed("rtp://@239.1.2.3:5004").bindAddress, "239.1.2.3");
    EXPECT_EQ(parsed("rtp://@239.1.2.3:5004").port, 5004);
    EXPECT_EQ(parsed("rtp://[ff02::1]:5004").bindAddress, "ff02::1");
    EXPECT_EQ(parsed("rtp://@:1").port, 1);
    EXPECT_EQ(parsed("rtp://@:65535").port, 65535);
}

TEST(RtpSourceSpecTest, EveryOptionIsRead) {
    const RtpSourceSpec spec = parsed(
        "rtp://@:5004?codec=l24&latency_ms=25&max_latency_ms=300&rate=96000&channels=6&pt=100");
    EXPECT_EQ(spec.codec, RtpCodec::L24);
    EXPECT_EQ(spec.latencyMs, 25.0);
    EXPECT_EQ(spec.maxLatencyMs, 300.0);
    EXPECT_EQ(spec.maxLatency(), 300.0);
    EXPECT_EQ(spec.clockRate, 96000u);
    EXPECT_EQ(spec.channels, 6u);
    ASSERT_TRUE(spec.payloadType.has_value());
    EXPECT_EQ(*spec.payloadType, 100);

    EXPECT_EQ(parsed("rtp://@:5004?codec=L24").codec, RtpCodec::L24);
    EXPECT_EQ(parsed("rtp://@:5004?codec=l16").codec, RtpCodec::L16);
    EXPECT_EQ(parsed("rtp://@:5004?codec=L16&rate=44100").clockRate, 44100u);
    EXPECT_EQ(parsed("rtp://@:5004?codec=opus&channels=1").channels, 1u);
    EXPECT_EQ(parsed("rtp://@:5004?codec=opus&rate=48000").clockRate, 48000u);
    EXPECT_EQ(parsed("rtp://@:5004?pt=0").payloadType, uint8_t{0});
    EXPECT_EQ(parsed("rtp://@:5004?latency_ms=100").maxLatency(), 400.0);  // 4 × latency
    EXPECT_EQ(parsed("rtp://@:5004?latency_ms=2.5e1").latencyMs, 25.0);
    EXPECT_EQ(parsed("rtp://@:5004?latency_ms=5").latencyMs, 5.0);
    EXPECT_EQ(parsed("rtp://@:5004?latency_ms=50&max_latency_ms=50").maxLatency(), 50.0);
}

TEST(RtpSourceSpecTest, BadPortsAreRefusedWithTheRangeAllowed) {
    for (const char* url :
         {"rtp://@:0", "rtp://@:70000", "rtp://@:abc", "rtp://@:", "rtp://@:-1", "rtp://@:50.5"}) {
        SCOPED_TRACE(url);
        expectRefused(url, "port that is not a whole number from 1 to 65535");
    }
    expectRefused("rtp://@5004", "has no port");
    expectRefused("rtp://[::1]5004", "IPv6 address without ']:PORT'");
    expectRefused("udp://@:5004", "does not start with rtp://");
}

TEST(RtpSourceSpecTest, BadOptionsAreRefusedNamingTheOptionAndWhatIsAllowed) {
    expectRefused("rtp://@:5004?codec=mp3", "codec 'mp3'; the codecs are opus, l24 and l16");
    expectRefused("rtp://@:5004?rate=44100", "Opus a rate of 44100 Hz");
    expectRefused("rtp://@:5004?codec=opus&rate=44100", "always runs at 48000");
    expectRefused("rtp://@:5004?channels=3", "3 channels of Opus");
    expectRefused("rtp://@:5004?codec=l24&channels=9", "channels '9'; 1 to 8 are allowed");
    expectRefused("rtp://@:5004?latency_ms=1", "latency_ms '1'; 5 to 2000 ms are allowed");
    expectRefused("rtp://@:5004?max_latency_ms=5000", "max_latency_ms '5000'");
    expectRefused("rtp://@:5004?latency_ms=100&max_latency_ms=50",
                  "max_latency_ms below latency_ms");
    expectRefused("rtp://@:5004?codec=l16&rate=7999", "rate '7999'; 8000 to 192000 Hz");
    expectRefused("rtp://@:5004?pt=128", "pt '128'; payload types are 0 to 127");
    expectRefused("rtp://@:5004?volume=11", "unknown option 'volume'");
    expectRefused("rtp://@:5004?codec", "'codec' where NAME=VALUE belongs");
}

TEST(RtpSourceSpecTest, AHostNameIsRefusedAsNotANumericAddress) {
    expectRefused("rtp://localhost:5004", "'localhost', which is not a numeric address");
    // The sentence shows how to listen on every address instead.
    expectRefused("rtp://example.org:5004", "rtp://@:5004");
}

// ---- SDP ----

constexpr const char* kFfmpegSdp =
    "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "a=tool:libavformat\r\nm=audio 5004 RTP/AVP 97\r\nb=AS:1536\r\na=rtpmap:97 L16/48000/2\r\n";

TEST(RtpSourceSpecTest, AnFfmpegSdpForUnicastIsListenedToOnEveryAddress) {
    test::TempFolder folder;
    const std::string path = folder.write("stream.sdp", kFfmpegSdp);
    auto spec = readRtpSourceSdp(path);
    ASSERT_TRUE(spec) << spec.error();
    EXPECT_EQ(spec->port, 5004);
    EXPECT_EQ(spec->codec, RtpCodec::L16);
    EXPECT_EQ(spec->clockRate, 48000u);
    EXPECT_EQ(spec->channels, 2u);
    ASSERT_TRUE(spec->payloadType.has_value());
    EXPECT_EQ(*spec->payloadType, 97);
    EXPECT_EQ(spec->bindAddress, "");  // unicast: the address is the sender's idea of ours
    EXPECT_EQ(spec->latencyMs, RtpSourceSpec::kDefaultLatencyMs);
    EXPECT_EQ(spec->origin, path);
}

TEST(RtpSourceSpecTest, AMulticastSdpBindsItsGroup) {
    test::TempFolder folder;
    const std::string path = folder.write(
        "group.sdp",
        "v=0\r\no=- 1 1 IN IP4 192.168.1.2\r\ns=Stage\r\nc=IN IP4 239.1.2.3/16\r\nt=0 0\r\n"
        "m=audio 5006 RTP/AVP 98\r\na=rtpmap:98 L24/96000/4\r\n");
    auto spec = readRtpSourceSdp(path);
    ASSERT_TRUE(spec) << spec.error();
    EXPECT_EQ(spec->bindAddress, "239.1.2.3");
    EXPECT_EQ(spec->port, 5006);
    EXPECT_EQ(spec->codec, RtpCodec::L24);
    EXPECT_EQ(spec->clockRate, 96000u);
    EXPECT_EQ(spec->channels, 4u);
    EXPECT_EQ(spec->payloadType, uint8_t{98});
}

TEST(RtpSourceSpecTest, AMissingFileIsRefusedNamingIt) {
    test::TempFolder folder;
    const std::string path = folder.file("absent.sdp");
    auto spec = readRtpSourceSdp(path);
    ASSERT_FALSE(spec);
    EXPECT_NE(spec.error().find("cannot read the SDP file '" + path + "'"), std::string::npos)
        << spec.error();
}

TEST(RtpSourceSpecTest, AFileThatIsNotSdpIsRefusedSayingWhy) {
    test::TempFolder folder;
    const std::string path = folder.write("notes.sdp", "shopping list\neggs\nflour\n");
    auto spec = readRtpSourceSdp(path);
    ASSERT_FALSE(spec);
    EXPECT_NE(spec.error().find("cannot play the stream '" + path + "' describes"),
              std::string::npos)
        << spec.error();
    EXPECT_NE(spec.error().find("the SDP"), std::string::npos) << spec.error();

    const std::string large = folder.write("huge.sdp", std::string(70000, 'x'));
    auto tooLarge = readRtpSourceSdp(large);
    ASSERT_FALSE(tooLarge);
    EXPECT_NE(tooLarge.error().find("too large to be an SDP file"), std::string::npos)
        << tooLarge.error();
}

}  // namespace
}  // namespace liverack::core
