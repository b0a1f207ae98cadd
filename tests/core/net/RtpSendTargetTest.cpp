// The --send URL: every option read as documented, every wrong part named in the sentence.
#include "core/net/RtpSendTarget.h"

#include <gtest/gtest.h>

namespace liverack::core {
namespace {

TEST(RtpSendTargetTest, PlainUrlGivesTheDocumentedDefaults) {
    const auto target = parseRtpSendTarget("rtp://127.0.0.1:5004");
    ASSERT_TRUE(target) << target.error();
    EXPECT_EQ(target->host, "127.0.0.1");
    EXPECT_EQ(target->port, 5004);
    EXPECT_EQ(target->codec, RtpCodec::Opus);
    EXPECT_EQ(target->bitrate, 128000u);
    EXPECT_EQ(target->frameMs, 10.0);
    EXPECT_EQ(target->channels, 0u);
    EXPECT_EQ(target->tap, Tap::Post);
    EXPECT_EQ(target->payloadType, 96);
    EXPECT_EQ(target->ttl, -1);
}

TEST(RtpSendTargetTest, EveryOptionIsRead) {
    const auto target = parseRtpSendTarget(
        "rtp://[::1]:6000?codec=l24&frame_ms=2.5&channels=1&tap=pre&pt=120&ttl=4");
    ASSERT_TRUE(target) << target.error();
    EXPECT_EQ(target->host, "::1");
    EXPECT_EQ(target->port, 6000);
    EXPECT_EQ(target->codec, RtpCodec::L24);
    EXPECT_EQ(target->frameMs, 2.5);
    EXPECT_EQ(target->channels, 1u);
    EXPECT_EQ(target->tap, Tap::Pre);
    EXPECT_EQ(target->payloadType, 120);
    EXPECT_EQ(target->ttl, 4);
    const auto opus = parseRtpSendTarget("rtp://studio.local:5004?bitrate=64k&codec=opus");
    ASSERT_TRUE(opus) << opus.error();
    EXPECT_EQ(opus->host, "studio.local");
    EXPECT_EQ(opus->bitrate, 64000u);
    EXPECT_EQ(parseRtpSendTarget("rtp://h:1?bitrate=96000")->bitrate, 96000u);
    EXPECT_EQ(parseRtpSendTarget("rtp://h:1?codec=l16")->codec, RtpCodec::L16);
}

TEST(RtpSendTargetTest, WrongPartsAreNamedWithWhatIsAllowed) {
    const auto says = [](const char* url, const char* part) {
        const auto target = parseRtpSendTarget(url);
        ASSERT_FALSE(target) << url;
        EXPECT_NE(target.error().find(part), std::string::npos) << target.error();
        EXPECT_NE(target.error().find(url), std::string::npos) << target.error();
    };
    says("udp://127.0.0.1:5004", "rtp://");
    says("rtp://127.0.0.1", "no port");
    says("rtp://:5004", "no host");
    says("rtp://127.0.0.1:70000", "1 to 65535");
    says("rtp://127.0.0.1:5004x", "1 to 65535");
    says("rtp://[::1:5004", "IPv6");
    says("rtp://h:5004?codec=mp3", "opus, l24 and l16");
    says("rtp://h:5004?bitrate=1k", "6k to 510k");
    says("rtp://h:5004?frame_ms=7", "2.5, 5, 10 or 20");
    says("rtp://h:5004?channels=0", "1 to 8");
    says("rtp://h:5004?channels=3", "1 or 2");
    says("rtp://h:5004?tap=middle", "pre");
    says("rtp://h:5004?pt=8", "96 to 127");
    says("rtp://h:5004?ttl=0", "1 to 255");
    says("rtp://h:5004?volume=3", "unknown option 'volume'");
    says("rtp://h:5004?codec", "NAME=VALUE");
}

}  // namespace
}  // namespace liverack::core
