#include "core/net/RtpSendTarget.h"

#include "core/net/RtpUrl.h"

#include <cmath>

namespace liverack::core {
namespace {

Error wrong(std::string_view url, const std::string& why) {
    return Error{"the RTP destination '" + std::string(url) + "' " + why};
}

}  // namespace

std::string_view codecName(RtpCodec codec) {
    switch (codec) {
        case RtpCodec::Opus:
            return "opus";
        case RtpCodec::L24:
            return "L24";
        case RtpCodec::L16:
            return "L16";
    }
    return "opus";
}

Result<RtpSendTarget> parseRtpSendTarget(std::string_view url) {
    auto parts = splitRtpUrl(url, "the RTP destination", "rtp://192.168.1.20:5004", false);
    if (!parts) {
        return Error{parts.error()};
    }
    RtpSendTarget target;
    double number = 0.0;
    if (parts->host.empty()) {
        return wrong(url, "has no host");
    }
    target.host = parts->host;
    target.port = parts->port;

    for (const auto& [option, text] : parts->options) {
        const std::string_view name = option;
        std::string_view value = text;
        if (name == "codec") {
            if (value == "opus") {
                target.codec = RtpCodec::Opus;
            } else if (value == "l24" || value == "L24") {
                target.codec = RtpCodec::L24;
            } else if (value == "l16" || value == "L16") {
                target.codec = RtpCodec::L16;
            } else {
                return wrong(url, "asks for codec '" + std::string(value) +
                                      "'; the codecs are opus, l24 and l16");
            }
        } else if (name == "bitrate") {
            double scale = 1.0;
            if (!value.empty() && (value.back() == 'k' || value.back() == 'K')) {
                scale = 1000.0;
                value.remove_suffix(1);
            }
            if (!parseRtpNumber(value, number) || number * scale < 6000 ||
                number * scale > 510000) {
                return wrong(url, "has bitrate '" + text + "'; Opus takes 6k to 510k");
            }
            target.bitrate = static_cast<unsigned>(number * scale);
        } else if (name == "frame_ms") {
            if (!parseRtpNumber(value, number) ||
                (number != 2.5 && number != 5 && number != 10 && number != 20)) {
                return wrong(url, "has frame_ms '" + std::string(value) +
                                      "'; a packet holds 2.5, 5, 10 or 20 ms");
            }
            target.frameMs = number;
        } else if (name == "channels") {
            if (!parseRtpNumber(value, number) || number < 1 || number > 8 ||
                number != std::floor(number)) {
                return wrong(url, "has channels '" + std::string(value) + "'; 1 to 8 are allowed");
            }
            target.channels = static_cast<unsigned>(number);
        } else if (name == "tap") {
            if (value != "pre" && value != "post") {
                return wrong(url, "has tap '" + std::string(value) +
                                      "'; pre (before the chain) or post (after it)");
            }
            target.tap = value == "pre" ? Tap::Pre : Tap::Post;
        } else if (name == "pt") {
            if (!parseRtpNumber(value, number) || number < 96 || number > 127 ||
                number != std::floor(number)) {
                return wrong(url, "has pt '" + std::string(value) +
                                      "'; dynamic payload types are 96 to 127");
            }
            target.payloadType = static_cast<uint8_t>(number);
        } else if (name == "ttl") {
            if (!parseRtpNumber(value, number) || number < 1 || number > 255 ||
                number != std::floor(number)) {
                return wrong(url, "has ttl '" + std::string(value) + "'; 1 to 255 are allowed");
            }
            target.ttl = static_cast<int>(number);
        } else {
            return wrong(url, "has an unknown option '" + option +
                                  "'; the options are codec, bitrate, frame_ms, channels, tap, "
                                  "pt and ttl");
        }
    }
    if (target.codec == RtpCodec::Opus && target.channels > 2) {
        return wrong(url, "asks for " + std::to_string(target.channels) +
                              " channels of Opus; an Opus RTP stream carries 1 or 2");
    }
    return target;
}

}  // namespace liverack::core
