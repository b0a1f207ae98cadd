#include "core/net/RtpPacket.h"

namespace liverack::core {
namespace {

uint16_t read16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

uint32_t read32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

RtpParseResult refuse(RtpRefusal why) {
    return RtpParseResult{std::nullopt, why};
}

}  // namespace

std::string_view describe(RtpRefusal refusal) {
    switch (refusal) {
        case RtpRefusal::TooShort:
            return "shorter than its RTP header";
        case RtpRefusal::NotVersion2:
            return "not RTP version 2";
        case RtpRefusal::ExtensionTooLong:
            return "a header extension longer than the packet";
        case RtpRefusal::PaddingTooLong:
            return "a padding count that does not fit the packet";
    }
    return "refused";
}

RtpParseResult parseRtp(std::span<const uint8_t> datagram) noexcept {
    const uint8_t* bytes = datagram.data();
    const size_t size = datagram.size();
    if (size < kRtpHeaderBytes) {
        return refuse(RtpRefusal::TooShort);
    }
    if (bytes[0] >> 6 != 2) {
        return refuse(RtpRefusal::NotVersion2);
    }
    const bool padded = (bytes[0] & 0x20) != 0;
    const bool extended = (bytes[0] & 0x10) != 0;
    const size_t csrcCount = bytes[0] & 0x0f;
    size_t offset = kRtpHeaderBytes + 4 * csrcCount;
    if (size < offset) {
        return refuse(RtpRefusal::TooShort);
    }
    if (extended) {
        // §5.3.1: 16 bits defined by profile, 16 bits length in 32-bit words after these four
        // bytes.
        if (size < offset + 4) {
            return refuse(RtpRefusal::ExtensionTooLong);
        }
        const size_t words = read16(bytes + offset + 2);
        offset += 4 + 4 * words;
        if (size < offset) {
            return refuse(RtpRefusal::ExtensionTooLong);
        }
    }
    size_t end = size;
    if (padded) {
        // §5.1: the last octet counts the padding octets, itself included.
        const size_t padding = bytes[size - 1];
        if (padding == 0 || padding > size - offset) {
            return refuse(RtpRefusal::PaddingTooLong);
        }
        end -= padding;
    }
    RtpPacket packet;
    packet.header.marker = (bytes[1] & 0x80) != 0;
    packet.header.payloadType = bytes[1] & 0x7f;
    packet.header.sequence = read16(bytes + 2);
    packet.header.timestamp = read32(bytes + 4);
    packet.header.ssrc = read32(bytes + 8);
    packet.payload = datagram.subspan(offset, end - offset);
    return RtpParseResult{packet, RtpRefusal::TooShort};
}

void writeRtpHeader(const RtpHeader& header, std::span<uint8_t, kRtpHeaderBytes> to) noexcept {
    to[0] = 2 << 6;
    to[1] = static_cast<uint8_t>((header.marker ? 0x80 : 0) | (header.payloadType & 0x7f));
    to[2] = static_cast<uint8_t>(header.sequence >> 8);
    to[3] = static_cast<uint8_t>(header.sequence);
    for (int i = 0; i < 4; ++i) {
        to[4 + i] = static_cast<uint8_t>(header.timestamp >> (24 - 8 * i));
        to[8 + i] = static_cast<uint8_t>(header.ssrc >> (24 - 8 * i));
    }
}

}  // namespace liverack::core
