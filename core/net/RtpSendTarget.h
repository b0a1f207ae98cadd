// Where and how an RTP stream is sent, from the `--send` URL:
// rtp://HOST:PORT?codec=opus|l24|l16&bitrate=128k&frame_ms=10&channels=2&tap=pre|post&pt=96&ttl=1
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/engine/SampleTaps.h"
#include "core/util/Result.h"

namespace liverack::core {

enum class RtpCodec { Opus, L24, L16 };
std::string_view codecName(RtpCodec codec);  // as SDP's rtpmap spells it: opus, L24, L16

struct RtpSendTarget {
    std::string host;
    uint16_t port = 0;
    RtpCodec codec = RtpCodec::Opus;
    unsigned bitrate = 128000;  // Opus only, bits per second
    double frameMs = 10.0;      // audio per packet; Opus allows 2.5, 5, 10 and 20
    unsigned channels = 0;      // 0: the stream's (Opus: at most 2)
    Tap tap = Tap::Post;
    uint8_t payloadType = 96;  // dynamic range, 96..127
    int ttl = -1;              // multicast hops; -1: the system's default
};

// A sentence naming the part that is wrong, and what is allowed, when the URL does not hold.
Result<RtpSendTarget> parseRtpSendTarget(std::string_view url);

}  // namespace liverack::core
