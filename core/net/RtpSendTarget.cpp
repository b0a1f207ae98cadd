#include "core/net/RtpSendTarget.h"

#include <charconv>
#include <cmath>

namespace liverack::core {
namespace {

Error wrong(std::string_view url, const std::string& why) {
    return Error{"the RTP destination '" + std::string(url) + "' " + why};
}

bool parseNumber(std::string_view text, double& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
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
    constexpr std::string_view kScheme = "rtp://";
    if (url.substr(0, kScheme.size()) != kScheme) {
        return wrong(url, "does not start with rtp:// (example: rtp://192.168.1.20:5004)");
    }
    std::string_view rest = url.substr(kScheme.size());
    std::string_view query;
    if (const size_t mark = rest.find('?'); mark != std::string_view::npos) {
        query = rest.substr(mark + 1);
        rest = rest.substr(0, mark);
    }
    // HOST:PORT, or [IPv6]:PORT.
    std::string_view host;
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {
        const size_t close = rest.find(']');
        if (close == std::string_view::npos || rest.substr(close + 1, 1) != ":") {
            return wrong(url, "has an IPv6 address without ']:PORT' after it");
        }
        host = rest.substr(1, close - 1);
        port = rest.substr(close + 2);
    } else {
        const size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) {
            return wrong(url, "has no port (example: rtp://192.168.1.20:5004)");
        }
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    RtpSendTarget target;
    double number = 0.0;
    if (host.empty()) {
        return wrong(url, "has no host");
    }
    target.host = std::string(host);
    if (!parseNumber(port, number) || number < 1 || number > 65535 ||
        number != std::floor(number)) {
        return wrong(url, "has a port that is not a whole number from 1 to 65535");
    }
    target.port = static_cast<uint16_t>(number);

    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const size_t equals = pair.find('=');
        if (equals == std::string_view::npos) {
            return wrong(url, "has '" + std::string(pair) + "' where NAME=VALUE belongs");
        }
        const std::string_view name = pair.substr(0, equals);
        std::string_view value = pair.substr(equals + 1);
        const std::string option(name);
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
            if (!parseNumber(value, number) || number * scale < 6000 || number * scale > 510000) {
                return wrong(url, "has bitrate '" + std::string(pair.substr(equals + 1)) +
                                      "'; Opus takes 6k to 510k");
            }
            target.bitrate = static_cast<unsigned>(number * scale);
        } else if (name == "frame_ms") {
            if (!parseNumber(value, number) ||
                (number != 2.5 && number != 5 && number != 10 && number != 20)) {
                return wrong(url, "has frame_ms '" + std::string(value) +
                                      "'; a packet holds 2.5, 5, 10 or 20 ms");
            }
            target.frameMs = number;
        } else if (name == "channels") {
            if (!parseNumber(value, number) || number < 1 || number > 8 ||
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
            if (!parseNumber(value, number) || number < 96 || number > 127 ||
                number != std::floor(number)) {
                return wrong(url, "has pt '" + std::string(value) +
                                      "'; dynamic payload types are 96 to 127");
            }
            target.payloadType = static_cast<uint8_t>(number);
        } else if (name == "ttl") {
            if (!parseNumber(value, number) || number < 1 || number > 255 ||
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
