// Where the web monitor listens (--web [ADDR:]PORT). Only this machine (127.0.0.1) unless another
// address is written on purpose: a monitor that anyone on the network can reach must be asked for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/Result.h"

namespace liverack::core {

struct WebAddress {
    static constexpr const char* kDefaultHost = "127.0.0.1";

    std::string host = kDefaultHost;  // an IPv4 or IPv6 address (no brackets), or a host name
    uint16_t port = 0;                // 0: any free port (the server says which)

    // "8765", "0.0.0.0:8765", "[::1]:8765", "localhost:8765". A sentence naming the part that is
    // wrong otherwise.
    static Result<WebAddress> parse(std::string_view text);
    // host:port as a URL writes it (IPv6 in brackets).
    std::string authority(uint16_t actualPort) const;
};

}  // namespace liverack::core
