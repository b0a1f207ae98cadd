#include "core/net/WebAddress.h"

#include "core/net/RtpUrl.h"

namespace liverack::core {
namespace {

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

}  // namespace

Result<WebAddress> WebAddress::parse(std::string_view text) {
    const std::string shape = " (give [ADDR:]PORT, such as 8765 or 0.0.0.0:8765)";
    if (text.empty()) {
        return Error{"--web needs a port" + shape};
    }
    WebAddress address;
    std::string_view port = text;
    if (text.front() == '[') {
        const size_t close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return Error{"--web " + quoted(text) + ": an IPv6 address is written [ADDR]:PORT" +
                         shape};
        }
        address.host = std::string(text.substr(1, close - 1));
        port = text.substr(close + 2);
    } else if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
        if (text.find(':') != colon) {
            return Error{"--web " + quoted(text) + ": write an IPv6 address in brackets" + shape};
        }
        address.host = std::string(text.substr(0, colon));
        port = text.substr(colon + 1);
    }
    if (address.host.empty()) {
        return Error{"--web " + quoted(text) + ": the address before ':' is empty" + shape};
    }
    double number = 0.0;
    if (!parseRtpNumber(port, number) || !isWholeNumber(number, 0, 65535)) {
        return Error{"--web " + quoted(text) + ": " + quoted(port) +
                     " is not a port number (0..65535; 0 picks a free one)" + shape};
    }
    address.port = static_cast<uint16_t>(number);
    return address;
}

std::string WebAddress::authority(uint16_t actualPort) const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(actualPort);
}

}  // namespace liverack::core
