// The one audio stream an SDP file (RFC 4566) describes, as LiveRack writes it for its receivers
// (--send-sdp) and reads it from theirs (--source sdp:FILE): where it goes, which payload type,
// codec, clock rate and channels (RFC 3551 static types 10 and 11, or an rtpmap), and the packet
// duration. Text from elsewhere: what LiveRack cannot play is refused with the reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/net/RtpSendTarget.h"
#include "core/util/Result.h"

namespace liverack::core {

struct RtpStreamDescription {
    std::string address;  // from c=; empty when the file has none
    uint16_t port = 0;
    uint8_t payloadType = 96;
    RtpCodec codec = RtpCodec::Opus;
    unsigned clockRate = 48000;
    unsigned channels =
        2;  // Opus: 2 unless sprop-stereo=0 (decoding a mono stream to two loses nothing)
    double ptimeMs = 0.0;  // 0 when not stated
    int ttl = -1;          // multicast IPv4 only; -1 when not stated
    std::string sessionId = "0";
};

// Refused: no audio stream over RTP/AVP, a codec other than Opus, L16 and L24, lengths beyond
// reason. The first audio stream is taken when there are several.
Result<RtpStreamDescription> parseSdp(std::string_view text);

// The SDP for a receiver of `stream` (CRLF line ends, as RFC 4566 asks).
std::string writeSdp(const RtpStreamDescription& stream);

}  // namespace liverack::core
