#include "core/net/RtpUrl.h"

#include <charconv>
#include <cmath>

namespace liverack::core {

bool parseRtpNumber(std::string_view text, double& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

bool isWholeNumber(double value, double min, double max) {
    return value >= min && value <= max && value == std::floor(value);
}

Result<RtpUrl> splitRtpUrl(std::string_view url, std::string_view what, std::string_view example,
                           bool listener) {
    const auto wrong = [&](const std::string& why) {
        return Error{std::string(what) + " '" + std::string(url) + "' " + why};
    };
    constexpr std::string_view kScheme = "rtp://";
    if (url.substr(0, kScheme.size()) != kScheme) {
        return wrong("does not start with rtp:// (example: " + std::string(example) + ")");
    }
    std::string_view rest = url.substr(kScheme.size());
    std::string_view query;
    if (const size_t mark = rest.find('?'); mark != std::string_view::npos) {
        query = rest.substr(mark + 1);
        rest = rest.substr(0, mark);
    }
    if (listener && !rest.empty() && rest.front() == '@') {
        rest.remove_prefix(1);
    }
    RtpUrl parts;
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {
        const size_t close = rest.find(']');
        if (close == std::string_view::npos || rest.substr(close + 1, 1) != ":") {
            return wrong("has an IPv6 address without ']:PORT' after it");
        }
        parts.host = std::string(rest.substr(1, close - 1));
        port = rest.substr(close + 2);
    } else {
        const size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) {
            return wrong("has no port (example: " + std::string(example) + ")");
        }
        parts.host = std::string(rest.substr(0, colon));
        port = rest.substr(colon + 1);
    }
    double number = 0.0;
    if (!parseRtpNumber(port, number) || !isWholeNumber(number, 1, 65535)) {
        return wrong("has a port that is not a whole number from 1 to 65535");
    }
    parts.port = static_cast<uint16_t>(number);
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const size_t equals = pair.find('=');
        if (equals == std::string_view::npos) {
            return wrong("has '" + std::string(pair) + "' where NAME=VALUE belongs");
        }
        parts.options.emplace_back(pair.substr(0, equals), pair.substr(equals + 1));
    }
    return parts;
}

}  // namespace liverack::core
