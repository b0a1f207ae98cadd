// libFuzzer target: arbitrary bytes as what comes from the network or from another program's
// file: a datagram (parseRtp), an SDP description (parseSdp) and the rtp:// URLs of --send and
// --source (parseRtpSendTarget, parseRtpSourceUrl), and --web's address (WebAddress::parse). A crash, a sanitizer report, a
// payload outside the datagram, an accepted header that does not survive being written and read
// back, or an accepted description whose stream changes when LiveRack writes and reads it again
// is a bug, and so is a refusal without a sentence or an accepted URL without a port.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

#include "core/net/RtpPacket.h"
#include "core/net/RtpSendTarget.h"
#include "core/net/RtpSourceSpec.h"
#include "core/net/SdpDescription.h"
#include "core/net/WebAddress.h"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "NetworkParsersFuzz: %s\n", what);
    std::abort();
}

void checkRtp(const uint8_t* data, size_t size) {
    using namespace liverack::core;
    const RtpParseResult parsed = parseRtp(std::span<const uint8_t>(data, size));
    if (!parsed.packet) {
        return;
    }
    const RtpPacket& packet = *parsed.packet;
    if (packet.payload.data() < data + kRtpHeaderBytes ||
        packet.payload.data() + packet.payload.size() > data + size) {
        fail("the payload lies outside the datagram");
    }
    std::array<uint8_t, kRtpHeaderBytes> header{};
    writeRtpHeader(packet.header, header);
    const RtpParseResult again = parseRtp(header);
    if (!again.packet || again.packet->header.sequence != packet.header.sequence ||
        again.packet->header.timestamp != packet.header.timestamp ||
        again.packet->header.ssrc != packet.header.ssrc ||
        again.packet->header.payloadType != packet.header.payloadType ||
        again.packet->header.marker != packet.header.marker || !again.packet->payload.empty()) {
        fail("a header did not survive writing and reading");
    }
}

void checkSdp(const uint8_t* data, size_t size) {
    using namespace liverack::core;
    const auto parsed = parseSdp(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!parsed) {
        if (parsed.error().empty()) {
            fail("a refused description came without a sentence");
        }
        return;
    }
    const auto again = parseSdp(writeSdp(parsed.value()));
    if (!again || again->port != parsed->port || again->payloadType != parsed->payloadType ||
        again->codec != parsed->codec || again->clockRate != parsed->clockRate ||
        again->channels != parsed->channels) {
        fail("a description's stream changed when written and read again");
    }
}

void checkUrls(const uint8_t* data, size_t size) {
    using namespace liverack::core;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const std::string_view url : {text, std::string_view("rtp://")}) {
        const auto target = parseRtpSendTarget(url);
        if (target ? target->port == 0 || target->host.empty() : target.error().empty()) {
            fail("a destination URL was taken without a host and port, or refused silently");
        }
        const auto source = parseRtpSourceUrl(url);
        if (source ? source->port == 0 : source.error().empty()) {
            fail("a source URL was taken without a port, or refused silently");
        }
    }
}

// --web's [ADDR:]PORT: taken with a host, or refused with a sentence.
void checkWebAddress(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto address = liverack::core::WebAddress::parse(text);
    if (address ? address->host.empty() : address.error().empty()) {
        fail("a web address was taken without a host, or refused silently");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    checkRtp(data, size);
    checkSdp(data, size);
    checkUrls(data, size);
    checkWebAddress(data, size);
    return 0;
}
