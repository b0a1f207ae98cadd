// What an RtpSender puts on the wire, read by a plain UDP socket on loopback: RFC 3550 headers
// (one SSRC, consecutive sequence numbers, timestamps stepping by a packet's samples, the marker
// on the first), L24/L16 payloads that are the input bit for bit, Opus that libopus's decoder
// turns back into the sine that went in, sender reports on the next port, and the SDP to open it.
#include "core/net/RtpSender.h"

#include <gtest/gtest.h>
#include <opus/opus.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "core/net/LinearPcm.h"
#include "core/net/RtpPacket.h"

namespace liverack::core {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

struct Received {
    RtpHeader header;
    std::vector<uint8_t> payload;
};

// A receiving socket on 127.0.0.1 with the port above it free for RTCP.
class Loopback {
public:
    Loopback() {
        for (int attempt = 0; attempt < 50 && !reports_.is_open(); ++attempt) {
            rtp_ = udp::socket(io_, udp::endpoint(asio::ip::address_v4::loopback(), 0));
            boost::system::error_code error;
            reports_.open(udp::v4());
            reports_.bind(
                udp::endpoint(asio::ip::address_v4::loopback(), static_cast<uint16_t>(port() + 1)),
                error);
            if (error) {
                reports_.close();
            }
        }
    }
    uint16_t port() const { return rtp_.local_endpoint().port(); }
    std::string url(const std::string& query) const {
        return "rtp://127.0.0.1:" + std::to_string(port()) + query;
    }

    // Loopback delivers as the datagram is sent: what was sent is all queued here.
    void drain() {
        while (rtp_.available() > 0) {
            std::vector<uint8_t> bytes(65536);
            const size_t size = rtp_.receive(asio::buffer(bytes));
            bytes.resize(size);
            const auto parsed = parseRtp(bytes);
            ASSERT_TRUE(parsed.packet) << describe(parsed.refusal);
            packets.push_back(
                {parsed.packet->header, std::vector<uint8_t>(parsed.packet->payload.begin(),
                                                             parsed.packet->payload.end())});
        }
        while (reports_.available() > 0) {
            std::vector<uint8_t> bytes(1500);
            bytes.resize(reports_.receive(asio::buffer(bytes)));
            reports.push_back(bytes);
        }
    }

    std::vector<Received> packets;
    std::vector<std::vector<uint8_t>> reports;

private:
    asio::io_context io_;
    udp::socket rtp_{io_};
    udp::socket reports_{io_};
};

// Sends planar `audio` in chunks of uneven sizes, as blocks come off a ring, draining as it goes
// (the socket's queue is smaller than a second of L24).
void sendInChunks(RtpSender& sender, Loopback& loopback,
                  const std::vector<std::vector<float>>& audio) {
    const size_t sizes[] = {37, 256, 1000, 3, 480, 129};
    std::vector<const float*> pointers(audio.size());
    for (size_t at = 0, i = 0; at < audio[0].size(); ++i) {
        const size_t n = std::min(sizes[i % 6], audio[0].size() - at);
        for (size_t c = 0; c < audio.size(); ++c) {
            pointers[c] = audio[c].data() + at;
        }
        sender.send(pointers.data(), n);
        at += n;
        ASSERT_NO_FATAL_FAILURE(loopback.drain());
    }
}

void expectOneStreamInOrder(const std::vector<Received>& packets, uint32_t step) {
    ASSERT_FALSE(packets.empty());
    EXPECT_TRUE(packets.front().header.marker);
    for (size_t i = 1; i < packets.size(); ++i) {
        const RtpHeader& h = packets[i].header;
        const RtpHeader& before = packets[i - 1].header;
        EXPECT_FALSE(h.marker) << i;
        EXPECT_EQ(h.ssrc, before.ssrc) << i;
        EXPECT_EQ(h.payloadType, 96) << i;
        EXPECT_EQ(static_cast<uint16_t>(h.sequence - before.sequence), 1) << i;
        EXPECT_EQ(h.timestamp - before.timestamp, step) << i;
    }
}

std::vector<std::vector<float>> l24Exact(size_t channels, size_t frames, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> code(-8388608, 8388607);
    std::vector<std::vector<float>> audio(channels, std::vector<float>(frames));
    for (auto& channel : audio) {
        for (float& x : channel) {
            x = static_cast<float>(code(rng)) / 8388608.0f;
        }
    }
    return audio;
}

TEST(RtpSenderTest, L24StereoArrivesBitForBitInPacketsUnderAnEthernetMtu) {
    Loopback loopback;
    auto target = parseRtpSendTarget(loopback.url("?codec=l24"));
    ASSERT_TRUE(target) << target.error();
    auto sender = RtpSender::open(*target, 48000.0, 2);
    ASSERT_TRUE(sender) << sender.error();
    const auto audio = l24Exact(2, 48000, 1);
    ASSERT_NO_FATAL_FAILURE(sendInChunks(**sender, loopback, audio));

    // 10 ms asked for, but 480 stereo L24 frames (2880 bytes) would be fragmented: 240 a packet.
    EXPECT_EQ((*sender)->frameSamples(), 240u);
    ASSERT_EQ(loopback.packets.size(), 200u);
    expectOneStreamInOrder(loopback.packets, 240);
    std::vector<float> decoded(480);
    for (size_t p = 0; p < loopback.packets.size(); ++p) {
        ASSERT_EQ(loopback.packets[p].payload.size(), 1440u);
        decodeLinearPcm(loopback.packets[p].payload.data(), 480, PcmWidth::L24, decoded.data());
        for (size_t n = 0; n < 240; ++n) {
            ASSERT_EQ(decoded[2 * n], audio[0][p * 240 + n]) << "packet " << p << " frame " << n;
            ASSERT_EQ(decoded[2 * n + 1], audio[1][p * 240 + n]) << "packet " << p;
        }
    }
    EXPECT_EQ((*sender)->stats().packets, 200u);
    EXPECT_EQ((*sender)->stats().sendErrors, 0u);
}

TEST(RtpSenderTest, L16MonoAt44100CountsItsClockAtTheStreamsRate) {
    Loopback loopback;
    auto sender =
        RtpSender::open(*parseRtpSendTarget(loopback.url("?codec=l16&channels=1")), 44100.0, 2);
    ASSERT_TRUE(sender) << sender.error();
    std::vector<std::vector<float>> audio(2, std::vector<float>(4410 * 3));
    for (size_t n = 0; n < audio[0].size(); ++n) {
        audio[0][n] = static_cast<float>(static_cast<int>(n % 65536) - 32768) / 32768.0f;
        audio[1][n] = 0.9f;  // not sent: one channel asked for, the first
    }
    ASSERT_NO_FATAL_FAILURE(sendInChunks(**sender, loopback, audio));
    ASSERT_EQ(loopback.packets.size(), 30u);
    expectOneStreamInOrder(loopback.packets, 441);
    std::vector<float> decoded(441);
    for (size_t p = 0; p < 30; ++p) {
        ASSERT_EQ(loopback.packets[p].payload.size(), 882u);
        decodeLinearPcm(loopback.packets[p].payload.data(), 441, PcmWidth::L16, decoded.data());
        for (size_t n = 0; n < 441; ++n) {
            ASSERT_EQ(decoded[n], audio[0][p * 441 + n]);
        }
    }
    const std::string sdp = (*sender)->sdp();
    EXPECT_NE(sdp.find("a=rtpmap:96 L16/44100/1\r\n"), std::string::npos) << sdp;
    EXPECT_NE(sdp.find("a=ptime:10\r\n"), std::string::npos) << sdp;
}

// Frequency from the zero crossings (linearly interpolated) of `x` over [from, end), and RMS.
void measureSine(const std::vector<float>& x, size_t from, double rate, double& hz, double& rms) {
    double first = -1.0;
    double last = -1.0;
    size_t crossings = 0;
    double energy = 0.0;
    for (size_t n = from + 1; n < x.size(); ++n) {
        energy += double(x[n]) * x[n];
        if (x[n - 1] < 0.0f && x[n] >= 0.0f) {
            const double at = double(n - 1) + x[n - 1] / (x[n - 1] - x[n]);
            if (first < 0.0) {
                first = at;
            } else {
                ++crossings;
            }
            last = at;
        }
    }
    hz = crossings * rate / (last - first);
    rms = std::sqrt(energy / double(x.size() - from - 1));
}

// Opus is lossy: what is checked is what a listener hears, the pitch and the level, after
// libopus's own decoder; at 44.1 kHz the sender resamples to Opus's 48 kHz clock, so the pitch
// must not move by the ratio of the rates.
class RtpSenderOpusTest : public ::testing::TestWithParam<double> {};

TEST_P(RtpSenderOpusTest, DecodedSineHasThePitchAndLevelSent) {
    const double rate = GetParam();
    Loopback loopback;
    auto sender = RtpSender::open(*parseRtpSendTarget(loopback.url("")), rate, 2);
    ASSERT_TRUE(sender) << sender.error();
    const size_t frames = static_cast<size_t>(2 * rate);
    std::vector<std::vector<float>> audio(2, std::vector<float>(frames));
    for (size_t n = 0; n < frames; ++n) {
        audio[0][n] = audio[1][n] =
            0.5f * static_cast<float>(std::sin(2.0 * std::numbers::pi * 1000.0 * n / rate));
    }
    ASSERT_NO_FATAL_FAILURE(sendInChunks(**sender, loopback, audio));
    EXPECT_EQ((*sender)->frameSamples(), 480u);
    // The resampler holds back its filter's delay (a few milliseconds at SoX's high quality), so
    // up to two packets are still inside it.
    ASSERT_GE(loopback.packets.size(), 198u);
    ASSERT_LE(loopback.packets.size(), 200u);
    expectOneStreamInOrder(loopback.packets, 480);

    int status = 0;
    OpusDecoder* decoder = opus_decoder_create(48000, 2, &status);
    ASSERT_EQ(status, OPUS_OK);
    std::vector<float> left;
    std::vector<float> pcm(2 * 5760);
    for (const auto& packet : loopback.packets) {
        const int decoded =
            opus_decode_float(decoder, packet.payload.data(),
                              static_cast<opus_int32>(packet.payload.size()), pcm.data(), 5760, 0);
        ASSERT_EQ(decoded, 480);
        for (int n = 0; n < decoded; ++n) {
            left.push_back(pcm[2 * static_cast<size_t>(n)]);
        }
    }
    opus_decoder_destroy(decoder);
    double hz = 0.0;
    double rms = 0.0;
    measureSine(left, 4800, 48000.0, hz, rms);  // past the encoder's start-up
    std::printf("[ opus ] %.0f Hz in: %.3f Hz, %.3f dB against the sine sent\n", rate, hz,
                20.0 * std::log10(rms / (0.5 / std::sqrt(2.0))));
    EXPECT_NEAR(hz, 1000.0, 0.5);
    EXPECT_NEAR(20.0 * std::log10(rms / (0.5 / std::sqrt(2.0))), 0.0, 0.5);
}

INSTANTIATE_TEST_SUITE_P(Rates, RtpSenderOpusTest, ::testing::Values(48000.0, 44100.0, 96000.0));

TEST(RtpSenderTest, OpusSdpIsWhatRfc7587AsksForAndReportsGoToTheNextPort) {
    Loopback loopback;
    auto sender = RtpSender::open(*parseRtpSendTarget(loopback.url("?frame_ms=20")), 48000.0, 2);
    ASSERT_TRUE(sender) << sender.error();
    const std::string sdp = (*sender)->sdp();
    const std::string port = std::to_string(loopback.port());
    EXPECT_EQ(sdp.rfind("v=0\r\n", 0), 0u) << sdp;
    EXPECT_NE(sdp.find("c=IN IP4 127.0.0.1\r\n"), std::string::npos) << sdp;
    EXPECT_NE(sdp.find("m=audio " + port + " RTP/AVP 96\r\n"), std::string::npos) << sdp;
    EXPECT_NE(sdp.find("a=rtpmap:96 opus/48000/2\r\n"), std::string::npos) << sdp;
    EXPECT_NE(sdp.find("a=fmtp:96 stereo=1; sprop-stereo=1\r\n"), std::string::npos) << sdp;
    EXPECT_NE(sdp.find("a=ptime:20\r\n"), std::string::npos) << sdp;

    std::vector<std::vector<float>> audio(2, std::vector<float>(4800, 0.0f));
    ASSERT_NO_FATAL_FAILURE(sendInChunks(**sender, loopback, audio));
    ASSERT_EQ(loopback.packets.size(), 5u);
    expectOneStreamInOrder(loopback.packets, 960);
    // RFC 3550 §6.4.1: V=2, PT=200, length 6, the stream's SSRC, then NTP time, RTP time, counts.
    ASSERT_GE(loopback.reports.size(), 1u);
    const auto& sr = loopback.reports.front();
    ASSERT_EQ(sr.size(), 28u);
    EXPECT_EQ(sr[0], 0x80);
    EXPECT_EQ(sr[1], 200);
    EXPECT_EQ(sr[3], 6);
    const uint32_t ssrc =
        uint32_t{sr[4]} << 24 | uint32_t{sr[5]} << 16 | uint32_t{sr[6]} << 8 | sr[7];
    EXPECT_EQ(ssrc, loopback.packets.front().header.ssrc);
    const uint32_t ntpSeconds =
        uint32_t{sr[8]} << 24 | uint32_t{sr[9]} << 16 | uint32_t{sr[10]} << 8 | sr[11];
    const auto unixNow = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    EXPECT_NEAR(double(ntpSeconds) - 2208988800.0, double(unixNow), 5.0);
}

}  // namespace
}  // namespace liverack::core
