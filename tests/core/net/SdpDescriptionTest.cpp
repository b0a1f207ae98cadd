// SDP as other programs write it (RFC 7587 §7's example, the shape of ffmpeg's -sdp_file output,
// RFC 3551 static types, multicast with a TTL) read into the stream they describe, LiveRack's own
// description read back, and what LiveRack cannot play refused with the reason.
#include "core/net/SdpDescription.h"

#include <gtest/gtest.h>

namespace liverack::core {
namespace {

TEST(SdpDescriptionTest, FfmpegStyleOpusDescriptionGivesPortTypeAndStereo) {
    const auto stream = parseSdp(
        "v=0\n"
        "o=- 0 0 IN IP4 127.0.0.1\n"
        "s=No Name\n"
        "c=IN IP4 127.0.0.1\n"
        "t=0 0\n"
        "a=tool:libavformat 59.27.100\n"
        "m=audio 5006 RTP/AVP 97\n"
        "b=AS:64\n"
        "a=rtpmap:97 opus/48000/2\n"
        "a=fmtp:97 sprop-stereo=1\n");
    ASSERT_TRUE(stream) << stream.error();
    EXPECT_EQ(stream->address, "127.0.0.1");
    EXPECT_EQ(stream->port, 5006);
    EXPECT_EQ(stream->payloadType, 97);
    EXPECT_EQ(stream->codec, RtpCodec::Opus);
    EXPECT_EQ(stream->clockRate, 48000u);
    EXPECT_EQ(stream->channels, 2u);
}

TEST(SdpDescriptionTest, Rfc7587ExampleWithCrlfAndAMonoSenderIsMono) {
    const auto stream = parseSdp(
        "v=0\r\nc=IN IP6 ::1\r\nm=audio 54312 RTP/AVP 101\r\n"
        "a=rtpmap:101 opus/48000/2\r\n"
        "a=fmtp:101 maxplaybackrate=16000; sprop-maxcapturerate=16000; sprop-stereo=0\r\n"
        "a=ptime:20\r\n");
    ASSERT_TRUE(stream) << stream.error();
    EXPECT_EQ(stream->address, "::1");
    EXPECT_EQ(stream->port, 54312);
    EXPECT_EQ(stream->channels, 1u);
    EXPECT_EQ(stream->ptimeMs, 20.0);
}

TEST(SdpDescriptionTest, LinearPcmStaticTypesAndMulticastTtlAreRead) {
    const auto l24 = parseSdp(
        "v=0\nc=IN IP4 239.69.1.2/32\nm=audio 5004 RTP/AVP 98\na=rtpmap:98 L24/96000/8\n"
        "a=ptime:1\n");
    ASSERT_TRUE(l24) << l24.error();
    EXPECT_EQ(l24->codec, RtpCodec::L24);
    EXPECT_EQ(l24->clockRate, 96000u);
    EXPECT_EQ(l24->channels, 8u);
    EXPECT_EQ(l24->address, "239.69.1.2");
    EXPECT_EQ(l24->ttl, 32);
    EXPECT_EQ(l24->ptimeMs, 1.0);
    // RFC 3551 §6: 10 is L16 stereo at 44.1 kHz, 11 mono, with no rtpmap needed.
    const auto l16 = parseSdp("v=0\nm=audio 6000 RTP/AVP 11\n");
    ASSERT_TRUE(l16) << l16.error();
    EXPECT_EQ(l16->codec, RtpCodec::L16);
    EXPECT_EQ(l16->clockRate, 44100u);
    EXPECT_EQ(l16->channels, 1u);
    // A video stream first, then the audio one with its own connection line.
    const auto mixed = parseSdp(
        "v=0\nc=IN IP4 10.0.0.1\nm=video 7000 RTP/AVP 96\na=rtpmap:96 H264/90000\n"
        "m=audio 7002 RTP/AVP 96\nc=IN IP4 10.0.0.2\na=rtpmap:96 L16/48000/2\n");
    ASSERT_TRUE(mixed) << mixed.error();
    EXPECT_EQ(mixed->port, 7002);
    EXPECT_EQ(mixed->address, "10.0.0.2");
    EXPECT_EQ(mixed->codec, RtpCodec::L16);
}

TEST(SdpDescriptionTest, WhatLiveRackWritesReadsBackAsTheSameStream) {
    for (const RtpCodec codec : {RtpCodec::Opus, RtpCodec::L24, RtpCodec::L16}) {
        RtpStreamDescription sent;
        sent.address = "239.1.2.3";
        sent.port = 5004;
        sent.payloadType = 111;
        sent.codec = codec;
        sent.clockRate = codec == RtpCodec::Opus ? 48000 : 44100;
        sent.channels = codec == RtpCodec::Opus ? 1 : 6;
        sent.ptimeMs = 2.5;
        sent.ttl = 4;
        const std::string text = writeSdp(sent);
        const auto read = parseSdp(text);
        ASSERT_TRUE(read) << read.error() << "\n" << text;
        EXPECT_EQ(read->address, sent.address);
        EXPECT_EQ(read->port, sent.port);
        EXPECT_EQ(read->payloadType, sent.payloadType);
        EXPECT_EQ(read->codec, sent.codec);
        EXPECT_EQ(read->clockRate, sent.clockRate);
        EXPECT_EQ(read->channels, sent.channels);
        EXPECT_EQ(read->ptimeMs, sent.ptimeMs);
        EXPECT_EQ(read->ttl, sent.ttl);
    }
}

TEST(SdpDescriptionTest, WhatCannotBePlayedIsRefusedWithTheReason) {
    const auto says = [](const std::string& text, const char* part) {
        const auto stream = parseSdp(text);
        ASSERT_FALSE(stream) << text;
        EXPECT_NE(stream.error().find(part), std::string::npos) << stream.error();
    };
    says("v=0\nm=video 5004 RTP/AVP 96\n", "no audio stream");
    says("", "no audio stream");
    says("v=0\nm=audio 5004 RTP/SAVP 96\na=rtpmap:96 opus/48000/2\n", "RTP/AVP");
    says("v=0\nm=audio 0 RTP/AVP 96\n", "1 to 65535");
    says("v=0\nm=audio 5004 RTP/AVP 200\n", "0 to 127");
    says("v=0\nm=audio 5004 RTP/AVP\n", "without port");
    says("v=0\nm=audio 5004 RTP/AVP 96\n", "no rtpmap for payload type 96");
    says("v=0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L24/1000/2\n", "8000 to 192000");
    says("v=0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 PCMA/8000\n", "'PCMA'");
    says("v=0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L24/48000/0\n", "1 to 8 channels");
    says(std::string(70000, 'x'), "bytes long");
}

}  // namespace
}  // namespace liverack::core
