// What an RTP source (--source rtp://... or sdp:FILE) listens for: the port and address to bind,
// the stream's codec, clock rate, channels and payload type, and how much audio the receiver holds
// against network jitter.
// rtp://@:PORT?codec=opus|l24|l16&latency_ms=40&max_latency_ms=200&rate=48000&channels=2&pt=96
// ("@" or nothing before the colon: every local address; a multicast group is joined).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "core/net/SdpDescription.h"
#include "core/util/Result.h"

namespace liverack::core {

struct RtpSourceSpec {
    static constexpr double kDefaultLatencyMs = 40.0;

    std::string bindAddress;  // empty: every local address
    uint16_t port = 0;
    RtpCodec codec = RtpCodec::Opus;
    unsigned clockRate = 48000;  // Opus: always 48000 (RFC 7587)
    unsigned channels = 2;
    std::optional<uint8_t> payloadType;    // none: taken from the first packet
    double latencyMs = kDefaultLatencyMs;  // the buffer's target, and its least
    double maxLatencyMs = 0.0;             // 0: max(200, 4 × latencyMs)
    std::string origin;                    // the URL or file, for messages

    double maxLatency() const {
        return maxLatencyMs > 0.0 ? maxLatencyMs : std::max(200.0, 4 * latencyMs);
    }
};

// "rtp://..." as above; a sentence naming what is wrong otherwise.
Result<RtpSourceSpec> parseRtpSourceUrl(std::string_view url);
// The stream an SDP file describes (its c= address is bound when it is multicast; otherwise every
// local address is), with the default latency. Unreadable files and unplayable streams are refused.
Result<RtpSourceSpec> readRtpSourceSdp(const std::string& path);

}  // namespace liverack::core
