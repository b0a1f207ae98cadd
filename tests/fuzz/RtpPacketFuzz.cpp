// libFuzzer target: arbitrary bytes as a datagram from the network (parseRtp). A crash, a
// sanitizer report, a payload outside the datagram or an accepted header that does not survive
// being written again and read back is a bug.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "core/net/RtpPacket.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace liverack::core;
    const std::span<const uint8_t> datagram(data, size);
    const RtpParseResult parsed = parseRtp(datagram);
    if (!parsed.packet) {
        return 0;
    }
    const RtpPacket& packet = *parsed.packet;
    if (packet.payload.data() < data + kRtpHeaderBytes ||
        packet.payload.data() + packet.payload.size() > data + size) {
        std::fprintf(stderr, "RtpPacketFuzz: the payload lies outside the datagram\n");
        std::abort();
    }
    std::array<uint8_t, kRtpHeaderBytes> header{};
    writeRtpHeader(packet.header, header);
    const RtpParseResult again = parseRtp(header);
    if (!again.packet || again.packet->header.sequence != packet.header.sequence ||
        again.packet->header.timestamp != packet.header.timestamp ||
        again.packet->header.ssrc != packet.header.ssrc ||
        again.packet->header.payloadType != packet.header.payloadType ||
        again.packet->header.marker != packet.header.marker || !again.packet->payload.empty()) {
        std::fprintf(stderr, "RtpPacketFuzz: a header did not survive writing and reading\n");
        std::abort();
    }
    return 0;
}
