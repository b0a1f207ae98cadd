#include "core/net/RtpSourceSpec.h"

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace liverack::core {
namespace {

Error wrong(std::string_view url, const std::string& why) {
    return Error{"the RTP source '" + std::string(url) + "' " + why};
}

bool parseNumber(std::string_view text, double& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

bool isWhole(double value, double min, double max) {
    return value >= min && value <= max && value == std::floor(value);
}

}  // namespace

Result<RtpSourceSpec> parseRtpSourceUrl(std::string_view url) {
    constexpr std::string_view kScheme = "rtp://";
    if (url.substr(0, kScheme.size()) != kScheme) {
        return wrong(url, "does not start with rtp:// (example: rtp://@:5004)");
    }
    RtpSourceSpec spec;
    spec.origin = std::string(url);
    std::string_view rest = url.substr(kScheme.size());
    std::string_view query;
    if (const size_t mark = rest.find('?'); mark != std::string_view::npos) {
        query = rest.substr(mark + 1);
        rest = rest.substr(0, mark);
    }
    if (!rest.empty() && rest.front() == '@') {
        rest.remove_prefix(1);
    }
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
            return wrong(url, "has no port (example: rtp://@:5004)");
        }
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    double number = 0.0;
    if (!parseNumber(port, number) || !isWhole(number, 1, 65535)) {
        return wrong(url, "has a port that is not a whole number from 1 to 65535");
    }
    spec.port = static_cast<uint16_t>(number);
    if (!host.empty()) {
        boost::system::error_code error;
        boost::asio::ip::make_address(std::string(host), error);
        if (error) {
            return wrong(url, "listens on '" + std::string(host) +
                                  "', which is not a numeric address of this machine or a "
                                  "multicast group (leave it out to listen on all: rtp://@:" +
                                  std::string(port) + ")");
        }
        spec.bindAddress = std::string(host);
    }
    bool rateGiven = false;
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const size_t equals = pair.find('=');
        if (equals == std::string_view::npos) {
            return wrong(url, "has '" + std::string(pair) + "' where NAME=VALUE belongs");
        }
        const std::string_view name = pair.substr(0, equals);
        const std::string_view value = pair.substr(equals + 1);
        const std::string shown(value);
        if (name == "codec") {
            if (value == "opus") {
                spec.codec = RtpCodec::Opus;
            } else if (value == "l24" || value == "L24") {
                spec.codec = RtpCodec::L24;
            } else if (value == "l16" || value == "L16") {
                spec.codec = RtpCodec::L16;
            } else {
                return wrong(url,
                             "asks for codec '" + shown + "'; the codecs are opus, l24 and l16");
            }
        } else if (name == "latency_ms" || name == "max_latency_ms") {
            if (!parseNumber(value, number) || number < 5 || number > 2000) {
                return wrong(
                    url, "has " + std::string(name) + " '" + shown + "'; 5 to 2000 ms are allowed");
            }
            (name == "latency_ms" ? spec.latencyMs : spec.maxLatencyMs) = number;
        } else if (name == "rate") {
            if (!parseNumber(value, number) || !isWhole(number, 8000, 192000)) {
                return wrong(url, "has rate '" + shown + "'; 8000 to 192000 Hz are allowed");
            }
            spec.clockRate = static_cast<unsigned>(number);
            rateGiven = true;
        } else if (name == "channels") {
            if (!parseNumber(value, number) || !isWhole(number, 1, 8)) {
                return wrong(url, "has channels '" + shown + "'; 1 to 8 are allowed");
            }
            spec.channels = static_cast<unsigned>(number);
        } else if (name == "pt") {
            if (!parseNumber(value, number) || !isWhole(number, 0, 127)) {
                return wrong(url, "has pt '" + shown + "'; payload types are 0 to 127");
            }
            spec.payloadType = static_cast<uint8_t>(number);
        } else {
            return wrong(url, "has an unknown option '" + std::string(name) +
                                  "'; the options are codec, latency_ms, max_latency_ms, rate, "
                                  "channels and pt");
        }
    }
    if (spec.codec == RtpCodec::Opus) {
        if (rateGiven && spec.clockRate != 48000) {
            return wrong(url, "gives Opus a rate of " + std::to_string(spec.clockRate) +
                                  " Hz; an Opus RTP stream always runs at 48000 (RFC 7587)");
        }
        if (spec.channels > 2) {
            return wrong(url, "asks for " + std::to_string(spec.channels) +
                                  " channels of Opus; an Opus RTP stream carries 1 or 2");
        }
    }
    if (spec.maxLatencyMs > 0.0 && spec.maxLatencyMs < spec.latencyMs) {
        return wrong(url, "has max_latency_ms below latency_ms");
    }
    return spec;
}

Result<RtpSourceSpec> readRtpSourceSdp(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return Error{"cannot read the SDP file '" + path + "'"};
    }
    std::ostringstream text;
    text << file.rdbuf();
    // Larger than any session description: a wrong file, not something to parse.
    if (text.str().size() > 65536) {
        return Error{"'" + path + "' is too large to be an SDP file"};
    }
    auto stream = parseSdp(text.str());
    if (!stream) {
        return Error{"cannot play the stream '" + path + "' describes: " + stream.error()};
    }
    RtpSourceSpec spec;
    spec.origin = path;
    spec.port = stream->port;
    spec.codec = stream->codec;
    spec.clockRate = stream->clockRate;
    spec.channels = stream->channels;
    spec.payloadType = stream->payloadType;
    boost::system::error_code error;
    const auto address = boost::asio::ip::make_address(stream->address, error);
    if (!error && address.is_multicast()) {
        spec.bindAddress = stream->address;
    }
    return spec;
}

}  // namespace liverack::core
