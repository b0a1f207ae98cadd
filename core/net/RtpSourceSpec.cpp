#include "core/net/RtpSourceSpec.h"

#include "core/net/RtpUrl.h"

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

namespace liverack::core {
namespace {

Error wrong(std::string_view url, const std::string& why) {
    return Error{"the RTP source '" + std::string(url) + "' " + why};
}

}  // namespace

Result<RtpSourceSpec> parseRtpSourceUrl(std::string_view url) {
    auto parts = splitRtpUrl(url, "the RTP source", "rtp://@:5004", true);
    if (!parts) {
        return Error{parts.error()};
    }
    RtpSourceSpec spec;
    spec.origin = std::string(url);
    spec.port = parts->port;
    const std::string port = std::to_string(parts->port);
    if (!parts->host.empty()) {
        boost::system::error_code error;
        boost::asio::ip::make_address(parts->host, error);
        if (error) {
            return wrong(url, "listens on '" + parts->host +
                                  "', which is not a numeric address of this machine or a "
                                  "multicast group (leave it out to listen on all: rtp://@:" +
                                  port + ")");
        }
        spec.bindAddress = parts->host;
    }
    bool rateGiven = false;
    double number = 0.0;
    for (const auto& [option, text] : parts->options) {
        const std::string_view name = option;
        const std::string_view value = text;
        const std::string& shown = text;
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
            if (!parseRtpNumber(value, number) || number < 5 || number > 2000) {
                return wrong(
                    url, "has " + std::string(name) + " '" + shown + "'; 5 to 2000 ms are allowed");
            }
            (name == "latency_ms" ? spec.latencyMs : spec.maxLatencyMs) = number;
        } else if (name == "rate") {
            if (!parseRtpNumber(value, number) || !isWholeNumber(number, 8000, 192000)) {
                return wrong(url, "has rate '" + shown + "'; 8000 to 192000 Hz are allowed");
            }
            spec.clockRate = static_cast<unsigned>(number);
            rateGiven = true;
        } else if (name == "channels") {
            if (!parseRtpNumber(value, number) || !isWholeNumber(number, 1, 8)) {
                return wrong(url, "has channels '" + shown + "'; 1 to 8 are allowed");
            }
            spec.channels = static_cast<unsigned>(number);
        } else if (name == "pt") {
            if (!parseRtpNumber(value, number) || !isWholeNumber(number, 0, 127)) {
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
