// The shape both directions of an rtp:// URL share: rtp://HOST:PORT or rtp://[IPv6]:PORT, then
// ?NAME=VALUE&... options. Each direction gives the options their meaning (RtpSendTarget,
// RtpSourceSpec); this only takes the URL apart, with a sentence when its shape is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/Result.h"

namespace liverack::core {

struct RtpUrl {
    std::string host;  // as written, without the brackets of an IPv6 address; may be empty
    uint16_t port = 0;
    std::vector<std::pair<std::string, std::string>> options;  // in the order written
};

// `what` begins every sentence ("the RTP destination"), `example` is shown when the scheme or
// the port is missing. A listener's URL may start its address with '@' (rtp://@:5004), as VLC's
// and ffmpeg's do: it is taken off.
Result<RtpUrl> splitRtpUrl(std::string_view url, std::string_view what, std::string_view example,
                           bool listener);
// The whole of `text` as a finite number.
bool parseRtpNumber(std::string_view text, double& value);
// `value` is a whole number in [min, max].
bool isWholeNumber(double value, double min, double max);

}  // namespace liverack::core
