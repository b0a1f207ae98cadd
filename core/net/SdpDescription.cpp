#include "core/net/SdpDescription.h"

#include <charconv>
#include <cstdio>
#include <optional>
#include <vector>

namespace liverack::core {
namespace {

constexpr size_t kMaxSdpBytes = 64 * 1024;  // real descriptions are under 2 KB

Error refuse(const std::string& why) {
    return Error{"the SDP " + why};
}

std::optional<unsigned> wholeNumber(std::string_view text) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    size_t at = 0;
    while (at < text.size()) {
        const size_t start = text.find_first_not_of(" \t", at);
        if (start == std::string_view::npos) {
            break;
        }
        const size_t end = std::min(text.find_first_of(" \t", start), text.size());
        out.push_back(text.substr(start, end - start));
        at = end;
    }
    return out;
}

bool sameLetters(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace

Result<RtpStreamDescription> parseSdp(std::string_view text) {
    if (text.size() > kMaxSdpBytes) {
        return refuse("is " + std::to_string(text.size()) +
                      " bytes long; a description is a few "
                      "hundred");
    }
    RtpStreamDescription stream;
    bool inAudio = false;
    bool audioSeen = false;
    bool mapped = false;
    std::string sessionAddress;
    std::string mediaAddress;
    std::optional<bool> spropStereo;
    while (!text.empty()) {
        const size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.size() < 2 || line[1] != '=') {
            continue;  // RFC 4566 §5: a parser ignores what it does not understand
        }
        const char type = line[0];
        const std::string_view value = line.substr(2);
        if (type == 'm') {
            if (audioSeen) {
                inAudio = false;  // a later stream: only the first audio one is taken
                continue;
            }
            const auto parts = words(value);
            if (parts.empty() || parts[0] != "audio") {
                inAudio = false;
                continue;
            }
            if (parts.size() < 4) {
                return refuse("has an m=audio line without port, transport and format");
            }
            const std::string_view portText = parts[1].substr(0, parts[1].find('/'));
            const auto port = wholeNumber(portText);
            if (!port || *port == 0 || *port > 65535) {
                return refuse("has m=audio port '" + std::string(parts[1]) +
                              "'; a port is 1 to 65535");
            }
            if (parts[2] != "RTP/AVP" && parts[2] != "RTP/AVPF") {
                return refuse("describes audio over '" + std::string(parts[2]) +
                              "'; LiveRack receives RTP/AVP (plain RTP, no SRTP)");
            }
            const auto payloadType = wholeNumber(parts[3]);
            if (!payloadType || *payloadType > 127) {
                return refuse("has payload type '" + std::string(parts[3]) + "'; 0 to 127");
            }
            stream.port = static_cast<uint16_t>(*port);
            stream.payloadType = static_cast<uint8_t>(*payloadType);
            inAudio = true;
            audioSeen = true;
            // RFC 3551 §6: the static types LiveRack can play need no rtpmap.
            if (*payloadType == 10 || *payloadType == 11) {
                stream.codec = RtpCodec::L16;
                stream.clockRate = 44100;
                stream.channels = *payloadType == 10 ? 2 : 1;
                mapped = true;
            }
        } else if (type == 'c') {
            // c=IN IP4 239.1.2.3/16 or c=IN IP6 ::1
            const auto parts = words(value);
            if (parts.size() >= 3 && parts[0] == "IN") {
                std::string_view address = parts[2];
                const size_t slash = address.find('/');
                if (slash != std::string_view::npos && parts[1] == "IP4") {
                    const std::string_view ttl =
                        address.substr(slash + 1, address.find('/', slash + 1) - slash - 1);
                    if (const auto hops = wholeNumber(ttl); hops && *hops >= 1 && *hops <= 255) {
                        stream.ttl = static_cast<int>(*hops);
                    }
                }
                address = address.substr(0, slash);
                (audioSeen && inAudio ? mediaAddress : sessionAddress) = std::string(address);
            }
        } else if (type == 'o') {
            const auto parts = words(value);
            if (parts.size() >= 2) {
                stream.sessionId = std::string(parts[1]);
            }
        } else if (type == 'a' && inAudio) {
            const size_t colon = value.find(':');
            const std::string_view name = value.substr(0, colon);
            const std::string_view rest =
                colon == std::string_view::npos ? std::string_view{} : value.substr(colon + 1);
            const auto parts = words(rest);
            if (name == "rtpmap" && parts.size() >= 2 &&
                wholeNumber(parts[0]) == unsigned{stream.payloadType}) {
                // ENCODING/CLOCK[/CHANNELS]
                const std::string_view map = parts[1];
                const size_t slash = map.find('/');
                const std::string_view encoding = map.substr(0, slash);
                const std::string_view after =
                    slash == std::string_view::npos ? std::string_view{} : map.substr(slash + 1);
                const size_t second = after.find('/');
                const auto clock = wholeNumber(after.substr(0, second));
                const auto channels = second == std::string_view::npos
                                          ? std::optional<unsigned>(1)
                                          : wholeNumber(after.substr(second + 1));
                if (!clock || *clock < 8000 || *clock > 192000 || !channels || *channels < 1 ||
                    *channels > 8) {
                    return refuse("has rtpmap '" + std::string(map) +
                                  "'; LiveRack reads ENCODING/RATE[/CHANNELS] with a rate from "
                                  "8000 to 192000 and 1 to 8 channels");
                }
                if (sameLetters(encoding, "opus")) {
                    stream.codec = RtpCodec::Opus;
                    stream.clockRate = 48000;  // RFC 7587 §7: always opus/48000/2
                    stream.channels = 2;
                } else if (sameLetters(encoding, "L24") || sameLetters(encoding, "L16")) {
                    stream.codec = sameLetters(encoding, "L24") ? RtpCodec::L24 : RtpCodec::L16;
                    stream.clockRate = *clock;
                    stream.channels = *channels;
                } else {
                    return refuse("describes a stream in '" + std::string(encoding) +
                                  "'; LiveRack plays opus, L24 and L16");
                }
                mapped = true;
            } else if (name == "fmtp" && !parts.empty() &&
                       wholeNumber(parts[0]) == unsigned{stream.payloadType}) {
                const std::string_view parameters =
                    rest.substr(rest.find(parts[0]) + parts[0].size());
                if (const size_t at = parameters.find("sprop-stereo=");
                    at != std::string_view::npos) {
                    spropStereo = parameters.substr(at + 13, 1) != "0";
                }
            } else if (name == "ptime" && !parts.empty()) {
                double ms = 0.0;
                const auto [end, error] =
                    std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), ms);
                if (error == std::errc() && ms > 0.0 && ms <= 1000.0) {
                    stream.ptimeMs = ms;
                }
            }
        }
    }
    if (!audioSeen) {
        return refuse("describes no audio stream (no m=audio line)");
    }
    if (!mapped) {
        return refuse("gives no rtpmap for payload type " + std::to_string(stream.payloadType) +
                      ", so its codec is unknown");
    }
    if (stream.codec == RtpCodec::Opus && spropStereo == false) {
        stream.channels = 1;
    }
    stream.address = !mediaAddress.empty() ? mediaAddress : sessionAddress;
    return stream;
}

std::string writeSdp(const RtpStreamDescription& stream) {
    const bool v6 = stream.address.find(':') != std::string::npos;
    const std::string family = v6 ? "IP6" : "IP4";
    std::string connection = stream.address;
    if (!v6 && stream.ttl > 0) {
        connection += "/" + std::to_string(stream.ttl);  // RFC 4566 §5.7: multicast IPv4
    }
    const std::string pt = std::to_string(stream.payloadType);
    std::string text = "v=0\r\n";
    text += "o=- " + stream.sessionId + " 1 IN " + family + " " + stream.address + "\r\n";
    text += "s=LiveRack\r\n";
    text += "c=IN " + family + " " + connection + "\r\n";
    text += "t=0 0\r\n";
    text += "m=audio " + std::to_string(stream.port) + " RTP/AVP " + pt + "\r\n";
    if (stream.codec == RtpCodec::Opus) {
        // RFC 7587 §7: always opus/48000/2; whether it is stereo is said by the parameters.
        text += "a=rtpmap:" + pt + " opus/48000/2\r\n";
        const std::string stereo = stream.channels == 2 ? "1" : "0";
        text += "a=fmtp:" + pt + " stereo=" + stereo + "; sprop-stereo=" + stereo + "\r\n";
    } else {
        text += "a=rtpmap:" + pt + " " + std::string(codecName(stream.codec)) + "/" +
                std::to_string(stream.clockRate) + "/" + std::to_string(stream.channels) + "\r\n";
    }
    if (stream.ptimeMs > 0.0) {
        char ptime[32];
        std::snprintf(ptime, sizeof ptime, "%g", stream.ptimeMs);
        text += "a=ptime:" + std::string(ptime) + "\r\n";
    }
    return text;
}

}  // namespace liverack::core
