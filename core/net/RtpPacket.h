// RTP packets (RFC 3550 §5.1): the fixed header read from and written to bytes, with every length
// a packet states checked against the bytes that came. A packet from the network is foreign input:
// what does not hold together is refused with the reason, never read past its end.
//
// Written here, not taken from a library: the RTP stacks in Debian (oRTP, JRTPLIB) bring their own
// sockets, threads and scheduling, where LiveRack's network thread owns the socket (Boost.Asio) and
// paces itself by the audio clock; what is left for them to do is this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace liverack::core {

struct RtpHeader {
    bool marker = false;
    uint8_t payloadType = 0;  // 0..127
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    uint32_t ssrc = 0;
};

// Why a packet was refused; counted by kind in the receiver's statistics.
enum class RtpRefusal {
    TooShort,          // fewer bytes than the fixed header and the CSRCs it announces
    NotVersion2,       // the version field is not 2
    ExtensionTooLong,  // the header extension claims more bytes than came
    PaddingTooLong,    // the padding count is 0 or larger than what follows the header
};
std::string_view describe(RtpRefusal refusal);

struct RtpPacket {
    RtpHeader header;
    std::span<const uint8_t> payload;  // inside the bytes parsed; valid while they are
};

struct RtpParseResult {
    std::optional<RtpPacket> packet;
    RtpRefusal refusal = RtpRefusal::TooShort;  // when there is no packet
};

// Reads one datagram. CSRCs and a header extension are skipped (LiveRack mixes nothing and uses
// no extension), padding is taken off the payload. No allocation: safe on any thread.
RtpParseResult parseRtp(std::span<const uint8_t> datagram) noexcept;

constexpr size_t kRtpHeaderBytes = 12;

// Writes the 12-byte fixed header (version 2, no padding, extension or CSRC) at `to`, which must
// hold kRtpHeaderBytes.
void writeRtpHeader(const RtpHeader& header, std::span<uint8_t, kRtpHeaderBytes> to) noexcept;

}  // namespace liverack::core
