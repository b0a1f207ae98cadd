// The RTP header against RFC 3550 §5.1's layout, written out by hand here, and every way a
// datagram can lie about its own lengths.
#include "core/net/RtpPacket.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace liverack::core {
namespace {

// V=2 P X CC | M PT | sequence | timestamp | SSRC, then CSRCs, extension, payload, padding.
std::vector<uint8_t> datagram(bool padding, bool extension, unsigned csrcs,
                              std::vector<uint8_t> tail) {
    std::vector<uint8_t> bytes = {0x80, 0xe0, 0x12, 0x34, 0x89, 0xab,
                                  0xcd, 0xef, 0xde, 0xad, 0xbe, 0xef};
    bytes[0] |= static_cast<uint8_t>((padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs);
    for (uint8_t byte : tail) {  // (insert() of an empty range trips GCC 12's -Warray-bounds)
        bytes.push_back(byte);
    }
    return bytes;
}

TEST(RtpPacketTest, WrittenHeaderHasTheFieldsWhereRfc3550PutsThem) {
    RtpHeader header;
    header.marker = true;
    header.payloadType = 96;
    header.sequence = 0x1234;
    header.timestamp = 0x89abcdef;
    header.ssrc = 0xdeadbeef;
    std::array<uint8_t, kRtpHeaderBytes> bytes{};
    writeRtpHeader(header, bytes);
    const std::array<uint8_t, kRtpHeaderBytes> expected = {0x80, 0xe0, 0x12, 0x34, 0x89, 0xab,
                                                           0xcd, 0xef, 0xde, 0xad, 0xbe, 0xef};
    EXPECT_EQ(bytes, expected);

    header.marker = false;
    header.payloadType = 127;
    writeRtpHeader(header, bytes);
    EXPECT_EQ(bytes[1], 0x7f);
}

TEST(RtpPacketTest, PlainPacketGivesItsFieldsAndEverythingAfterTheHeaderAsPayload) {
    const auto bytes = datagram(false, false, 0, {1, 2, 3, 4, 5});
    const auto result = parseRtp(bytes);
    ASSERT_TRUE(result.packet) << describe(result.refusal);
    const RtpPacket& p = *result.packet;
    EXPECT_TRUE(p.header.marker);
    EXPECT_EQ(p.header.payloadType, 96);
    EXPECT_EQ(p.header.sequence, 0x1234);
    EXPECT_EQ(p.header.timestamp, 0x89abcdefu);
    EXPECT_EQ(p.header.ssrc, 0xdeadbeefu);
    ASSERT_EQ(p.payload.size(), 5u);
    EXPECT_EQ(p.payload.data(), bytes.data() + 12);
}

TEST(RtpPacketTest, CsrcsExtensionAndPaddingAreTakenOffThePayload) {
    // Two CSRCs (8 bytes), an extension of profile 0xbede with 2 words (4 + 8 bytes), a payload
    // of 3 bytes, then 4 bytes of padding whose last says 4.
    std::vector<uint8_t> tail = {0, 0, 0, 1, 0, 0, 0,    2,    0xbe, 0xde, 0, 2, 9, 9,
                                 9, 9, 9, 9, 9, 9, 0xa1, 0xa2, 0xa3, 0,    0, 0, 4};
    const auto bytes = datagram(true, true, 2, tail);
    const auto result = parseRtp(bytes);
    ASSERT_TRUE(result.packet) << describe(result.refusal);
    const auto payload = result.packet->payload;
    ASSERT_EQ(payload.size(), 3u);
    EXPECT_EQ(payload[0], 0xa1);
    EXPECT_EQ(payload[2], 0xa3);
}

TEST(RtpPacketTest, EmptyPayloadAndAllPaddingAreValid) {
    EXPECT_TRUE(parseRtp(datagram(false, false, 0, {})).packet);
    const auto allPadding = parseRtp(datagram(true, false, 0, {0, 0, 3}));
    ASSERT_TRUE(allPadding.packet);
    EXPECT_TRUE(allPadding.packet->payload.empty());
}

TEST(RtpPacketTest, PacketsThatLieAboutTheirLengthsAreRefusedWithTheReason) {
    const auto refusal = [](const std::vector<uint8_t>& bytes) {
        const auto result = parseRtp(bytes);
        EXPECT_FALSE(result.packet);
        return result.refusal;
    };
    EXPECT_EQ(refusal({0x80, 0x60, 0, 1}), RtpRefusal::TooShort);
    EXPECT_EQ(refusal({}), RtpRefusal::TooShort);
    auto version1 = datagram(false, false, 0, {1, 2});
    version1[0] = 0x40;
    EXPECT_EQ(refusal(version1), RtpRefusal::NotVersion2);
    auto version3 = version1;
    version3[0] = 0xc0;
    EXPECT_EQ(refusal(version3), RtpRefusal::NotVersion2);
    EXPECT_EQ(refusal(datagram(false, false, 3, {0, 0, 0, 1, 0, 0, 0, 2})), RtpRefusal::TooShort);
    EXPECT_EQ(refusal(datagram(false, true, 0, {0xbe, 0xde})), RtpRefusal::ExtensionTooLong);
    EXPECT_EQ(refusal(datagram(false, true, 0, {0xbe, 0xde, 0, 3, 1, 2, 3, 4})),
              RtpRefusal::ExtensionTooLong);
    EXPECT_EQ(refusal(datagram(true, false, 0, {1, 2, 0})), RtpRefusal::PaddingTooLong);
    EXPECT_EQ(refusal(datagram(true, false, 0, {1, 2, 4})), RtpRefusal::PaddingTooLong);
    EXPECT_EQ(refusal(datagram(true, false, 0, {})), RtpRefusal::PaddingTooLong);
}

// Whatever a truncated packet says, what is handed on lies inside the bytes that came: the
// parser is never the one to read past a datagram's end.
TEST(RtpPacketTest, EveryTruncationIsRefusedOrHasItsPayloadInsideTheBytes) {
    std::vector<uint8_t> tail = {0, 0, 0, 1, 0xbe, 0xde, 0, 1, 9, 9, 9, 9, 5, 6, 7, 8, 0, 2};
    const auto whole = datagram(true, true, 1, tail);
    for (size_t size = 0; size <= whole.size(); ++size) {
        const std::span<const uint8_t> cut(whole.data(), size);
        const auto result = parseRtp(cut);
        if (result.packet) {
            const auto payload = result.packet->payload;
            EXPECT_GE(payload.data(), whole.data() + 24) << size;
            EXPECT_LE(payload.data() + payload.size(), whole.data() + size) << size;
        }
    }
    EXPECT_TRUE(parseRtp(whole).packet);
    EXPECT_EQ(parseRtp(whole).packet->payload.size(), 4u);
}

}  // namespace
}  // namespace liverack::core
