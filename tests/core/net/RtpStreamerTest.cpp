// The streamer end to end on loopback: the test is the audio thread (it feeds SampleTaps block by
// block) and the receiver (plain UDP sockets it bound itself). What comes out is one RTP stream per
// target carrying exactly the tap it asked for: L24 bit for bit, Opus with the tap's pitch and
// not the other's. Plus the names of the SDP files written for several streams.
#include "core/net/RtpStreamer.h"

#include <gtest/gtest.h>
#include <opus/opus.h>
#include <poll.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "core/net/LinearPcm.h"
#include "core/net/RtpPacket.h"

namespace liverack::core {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;

constexpr double kRate = 48000.0;
constexpr uint32_t kChannels = 2;
constexpr uint32_t kMaxBlock = 256;
constexpr double kPi = std::numbers::pi;

TEST(RtpStreamerTest, OneStreamWritesThePathItself) {
    EXPECT_EQ(RtpStreamer::sdpPathsFor("s.sdp", 1), std::vector<std::string>{"s.sdp"});
}

TEST(RtpStreamerTest, SeveralStreamsNumberTheFilesBeforeTheExtension) {
    EXPECT_EQ(RtpStreamer::sdpPathsFor("dir.x/s.sdp", 3),
              (std::vector<std::string>{"dir.x/s.1.sdp", "dir.x/s.2.sdp", "dir.x/s.3.sdp"}));
    EXPECT_EQ(RtpStreamer::sdpPathsFor("noext", 2),
              (std::vector<std::string>{"noext.1.sdp", "noext.2.sdp"}));
    // A dot in a folder's name is not an extension.
    EXPECT_EQ(RtpStreamer::sdpPathsFor("dir.x/noext", 2),
              (std::vector<std::string>{"dir.x/noext.1.sdp", "dir.x/noext.2.sdp"}));
}

TEST(RtpStreamerTest, StartingBeforeTheTapsArePreparedIsRefusedWithASentence) {
    SampleTaps taps;
    RtpStreamer streamer(taps);
    auto target = parseRtpSendTarget("rtp://127.0.0.1:5004?codec=l24");
    ASSERT_TRUE(target);
    const Status started = streamer.start({*target});
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find("before the audio stream is open"), std::string::npos)
        << started.error();
    EXPECT_FALSE(streamer.isRunning());
}

struct Datagram {
    std::vector<uint8_t> bytes;
    RtpHeader header;
    std::vector<uint8_t> payload;
};

// A UDP socket on 127.0.0.1 the test reads as a receiver would.
class Receiver {
public:
    Receiver() : socket_(io_, udp::endpoint(asio::ip::address_v4::loopback(), 0)) {
        boost::system::error_code ignored;
        socket_.set_option(asio::socket_base::receive_buffer_size(1 << 20), ignored);
        socket_.non_blocking(true);
    }
    uint16_t port() const { return socket_.local_endpoint().port(); }

    // Everything queued now, without waiting.
    void drain() {
        for (;;) {
            std::vector<uint8_t> bytes(65536);
            boost::system::error_code error;
            const size_t size = socket_.receive(asio::buffer(bytes), 0, error);
            if (error) {
                return;  // would block
            }
            bytes.resize(size);
            Datagram d;
            d.bytes = bytes;
            const auto parsed = parseRtp(d.bytes);
            if (parsed.packet) {
                d.header = parsed.packet->header;
                d.payload.assign(parsed.packet->payload.begin(), parsed.packet->payload.end());
            }
            datagrams.push_back(std::move(d));
        }
    }
    // Waits (poll, no sleep) until a datagram is queued or `deadline` passes; drains.
    bool waitAndDrain(Clock::time_point deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd descriptor{socket_.native_handle(), POLLIN, 0};
        const int ready = ::poll(&descriptor, 1, static_cast<int>(std::max<long>(0, left.count())));
        drain();
        return ready > 0;
    }

    std::vector<Datagram> datagrams;

private:
    asio::io_context io_;
    udp::socket socket_;
};

// Waits for packets until `receiver` holds frames within `window` of `fed` (packets of
// `packetFrames`), or the deadline passes.
void keepUp(Receiver& receiver, size_t fed, size_t packetFrames, size_t window,
            Clock::time_point deadline) {
    receiver.drain();
    while (fed > receiver.datagrams.size() * packetFrames + window && Clock::now() < deadline) {
        receiver.waitAndDrain(deadline);
    }
}

void expectOneStream(const std::vector<Datagram>& datagrams, uint8_t payloadType, uint32_t step) {
    ASSERT_FALSE(datagrams.empty());
    for (size_t i = 0; i < datagrams.size(); ++i) {
        const Datagram& d = datagrams[i];
        ASSERT_GE(d.bytes.size(), kRtpHeaderBytes);
        EXPECT_EQ(d.bytes[0] >> 6, 2) << "RTP version of packet " << i;
        EXPECT_EQ(d.bytes[1] & 0x7f, payloadType) << "packet " << i;
        EXPECT_EQ(d.header.payloadType, payloadType);
        if (i > 0) {
            const RtpHeader& before = datagrams[i - 1].header;
            EXPECT_EQ(d.header.ssrc, before.ssrc) << i;
            EXPECT_EQ(static_cast<uint16_t>(d.header.sequence - before.sequence), 1) << i;
            EXPECT_EQ(d.header.timestamp - before.timestamp, step) << i;
        }
    }
}

// Block sizes as a backend might choose them, up to the maximum.
constexpr uint32_t kBlockSizes[] = {256, 128, 256, 64, 200, 37, 256, 111};

double ramp(size_t n) {
    return -0.8 + 1.6 * static_cast<double>(n % 4801) / 4800.0;
}
double sine(double hz, size_t n, double amplitude = 0.5) {
    return amplitude * std::sin(2.0 * kPi * hz * static_cast<double>(n) / kRate);
}

float quantisedTo24Bits(double x) {
    const double code =
        std::clamp(std::nearbyint(static_cast<double>(static_cast<float>(x)) * 8388608.0),
                   -8388608.0, 8388607.0);
    return static_cast<float>(code / 8388608.0);
}

TEST(RtpStreamerTest, L24PostTapArrivesAsOneStreamHoldingExactlyTheFedSamples) {
    SampleTaps taps;
    taps.prepare(kRate, kChannels, kMaxBlock);
    Receiver receiver;
    RtpStreamer streamer(taps);
    auto target =
        parseRtpSendTarget("rtp://127.0.0.1:" + std::to_string(receiver.port()) + "?codec=l24");
    ASSERT_TRUE(target) << target.error();
    ASSERT_TRUE(streamer.start({*target}));
    ASSERT_TRUE(streamer.isRunning());
    ASSERT_EQ(streamer.streamCount(), 1u);
    // 10 ms asked for; 480 stereo L24 frames (2880 bytes) would not fit an Ethernet MTU: 240.
    const uint32_t packetFrames = streamer.sender(0).frameSamples();
    ASSERT_EQ(packetFrames, 240u);

    // Fed as the audio thread does, block by block, each block's samples a function of the
    // frame's index: a ramp on the left, a 997 Hz sine on the right.
    const size_t totalFrames = 100 * packetFrames + 123;  // ends inside a packet
    std::vector<std::vector<float>> fed(kChannels, std::vector<float>(totalFrames));
    for (size_t n = 0; n < totalFrames; ++n) {
        fed[0][n] = static_cast<float>(ramp(n));
        fed[1][n] = static_cast<float>(sine(997.0, n, 0.9));
    }
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    size_t at = 0;
    for (size_t b = 0; at < totalFrames; ++b) {
        const uint32_t frames = static_cast<uint32_t>(
            std::min<size_t>(kBlockSizes[b % std::size(kBlockSizes)], totalFrames - at));
        float* channels[kChannels] = {fed[0].data() + at, fed[1].data() + at};
        taps.beginBlock();
        taps.feed(Tap::Post, AudioBlock(channels, kChannels, frames));
        at += frames;
        // Not far ahead of what has arrived, so no queue on the way can overflow.
        keepUp(receiver, at, packetFrames, 8 * packetFrames, deadline);
    }
    const size_t expectedPackets = totalFrames / packetFrames;
    while (receiver.datagrams.size() < expectedPackets && Clock::now() < deadline) {
        receiver.waitAndDrain(deadline);
    }
    streamer.stop();
    EXPECT_FALSE(streamer.isRunning());
    receiver.drain();  // loopback queues a datagram as it is sent: all of them are here
    ASSERT_EQ(receiver.datagrams.size(), expectedPackets);
    ASSERT_NO_FATAL_FAILURE(expectOneStream(receiver.datagrams, 96, packetFrames));

    std::vector<float> decoded(kChannels * packetFrames);
    for (size_t p = 0; p < expectedPackets; ++p) {
        const auto& payload = receiver.datagrams[p].payload;
        ASSERT_EQ(payload.size(), pcmBytes(PcmWidth::L24, kChannels * packetFrames));
        decodeLinearPcm(payload.data(), kChannels * packetFrames, PcmWidth::L24, decoded.data());
        for (size_t f = 0; f < packetFrames; ++f) {
            const size_t n = p * packetFrames + f;
            ASSERT_EQ(decoded[kChannels * f], quantisedTo24Bits(ramp(n))) << "frame " << n;
            ASSERT_EQ(decoded[kChannels * f + 1], quantisedTo24Bits(sine(997.0, n, 0.9)))
                << "frame " << n;
        }
    }
    const auto stats = streamer.stats();
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].sender.packets, receiver.datagrams.size());
    EXPECT_EQ(stats[0].sender.sendErrors, 0u);
    EXPECT_EQ(stats[0].sender.payloadBytes, expectedPackets * 1440u);
    EXPECT_EQ(stats[0].droppedFrames, 0u);
    EXPECT_EQ(stats[0].destination, "127.0.0.1:" + std::to_string(receiver.port()));
    EXPECT_EQ(stats[0].tap, Tap::Post);
    EXPECT_EQ(stats[0].codec, RtpCodec::L24);
}

// The strongest DFT bin (Hann window) of `x`, in Hz; bins of kRate / x.size().
double dominantHz(const std::vector<float>& x) {
    size_t best = 0;
    double bestPower = -1.0;
    const double size = static_cast<double>(x.size());
    for (size_t k = 1; k < x.size() / 2; ++k) {
        std::complex<double> sum = 0.0;
        for (size_t n = 0; n < x.size(); ++n) {
            const double window = 0.5 - 0.5 * std::cos(2.0 * kPi * double(n) / size);
            sum += window * double(x[n]) * std::polar(1.0, -2.0 * kPi * double(k * n) / size);
        }
        if (std::norm(sum) > bestPower) {
            bestPower = std::norm(sum);
            best = k;
        }
    }
    return double(best) * kRate / size;
}

// |DFT| at `hz` (Hann window), as an amplitude.
double amplitudeAt(const std::vector<float>& x, double hz) {
    std::complex<double> sum = 0.0;
    double windowSum = 0.0;
    const double size = static_cast<double>(x.size());
    for (size_t n = 0; n < x.size(); ++n) {
        const double window = 0.5 - 0.5 * std::cos(2.0 * kPi * double(n) / size);
        windowSum += window;
        sum += window * double(x[n]) * std::polar(1.0, -2.0 * kPi * hz * double(n) / kRate);
    }
    return 2.0 * std::abs(sum) / windowSum;
}

TEST(RtpStreamerTest, EachTargetGetsOnlyItsTapOpusPreBesideL24Post) {
    SampleTaps taps;
    taps.prepare(kRate, kChannels, kMaxBlock);
    Receiver preReceiver;
    Receiver postReceiver;
    RtpStreamer streamer(taps);
    auto pre = parseRtpSendTarget("rtp://127.0.0.1:" + std::to_string(preReceiver.port()) +
                                  "?codec=opus&tap=pre");
    auto post = parseRtpSendTarget("rtp://127.0.0.1:" + std::to_string(postReceiver.port()) +
                                   "?codec=l24&pt=97");
    ASSERT_TRUE(pre) << pre.error();
    ASSERT_TRUE(post) << post.error();
    ASSERT_TRUE(streamer.start({*pre, *post}));
    ASSERT_EQ(streamer.streamCount(), 2u);
    const uint32_t opusFrames = streamer.sender(0).frameSamples();
    const uint32_t pcmFrames = streamer.sender(1).frameSamples();
    ASSERT_EQ(opusFrames, 480u);  // 10 ms at Opus's 48 kHz
    ASSERT_EQ(pcmFrames, 240u);

    // Pre: 600 Hz; post: 2400 Hz (as if the chain were a pitch shifter).
    constexpr double kPreHz = 600.0;
    constexpr double kPostHz = 2400.0;
    const size_t totalFrames = 50 * opusFrames;
    std::vector<float> preAudio[kChannels];
    std::vector<float> postAudio[kChannels];
    for (uint32_t c = 0; c < kChannels; ++c) {
        preAudio[c].resize(totalFrames);
        postAudio[c].resize(totalFrames);
        for (size_t n = 0; n < totalFrames; ++n) {
            preAudio[c][n] = static_cast<float>(sine(kPreHz, n));
            postAudio[c][n] = static_cast<float>(sine(kPostHz, n));
        }
    }
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    size_t at = 0;
    for (size_t b = 0; at < totalFrames; ++b) {
        const uint32_t frames = static_cast<uint32_t>(
            std::min<size_t>(kBlockSizes[b % std::size(kBlockSizes)], totalFrames - at));
        float* preChannels[kChannels] = {preAudio[0].data() + at, preAudio[1].data() + at};
        float* postChannels[kChannels] = {postAudio[0].data() + at, postAudio[1].data() + at};
        taps.beginBlock();
        taps.feed(Tap::Pre, AudioBlock(preChannels, kChannels, frames));
        taps.feed(Tap::Post, AudioBlock(postChannels, kChannels, frames));
        at += frames;
        keepUp(preReceiver, at, opusFrames, 8 * opusFrames, deadline);
        keepUp(postReceiver, at, pcmFrames, 8 * opusFrames, deadline);
    }
    while ((preReceiver.datagrams.size() < totalFrames / opusFrames ||
            postReceiver.datagrams.size() < totalFrames / pcmFrames) &&
           Clock::now() < deadline) {
        preReceiver.waitAndDrain(std::min(deadline, Clock::now() + std::chrono::milliseconds(20)));
        postReceiver.waitAndDrain(std::min(deadline, Clock::now() + std::chrono::milliseconds(20)));
    }
    streamer.stop();
    preReceiver.drain();
    postReceiver.drain();
    ASSERT_EQ(preReceiver.datagrams.size(), totalFrames / opusFrames);
    ASSERT_EQ(postReceiver.datagrams.size(), totalFrames / pcmFrames);
    ASSERT_NO_FATAL_FAILURE(expectOneStream(preReceiver.datagrams, 96, opusFrames));
    ASSERT_NO_FATAL_FAILURE(expectOneStream(postReceiver.datagrams, 97, pcmFrames));
    EXPECT_NE(preReceiver.datagrams[0].header.ssrc, postReceiver.datagrams[0].header.ssrc);

    // Post, L24: exactly the post tap.
    std::vector<float> decoded(kChannels * pcmFrames);
    for (size_t p = 0; p < postReceiver.datagrams.size(); ++p) {
        decodeLinearPcm(postReceiver.datagrams[p].payload.data(), kChannels * pcmFrames,
                        PcmWidth::L24, decoded.data());
        for (size_t f = 0; f < pcmFrames; ++f) {
            const size_t n = p * pcmFrames + f;
            ASSERT_EQ(decoded[kChannels * f], quantisedTo24Bits(postAudio[0][n])) << n;
        }
    }

    // Pre, Opus, through libopus's decoder: the pre tone, the post tone nowhere.
    int error = OPUS_OK;
    OpusDecoder* decoder = opus_decoder_create(48000, 2, &error);
    ASSERT_EQ(error, OPUS_OK);
    std::vector<float> left;
    std::vector<float> frame(2 * 5760);
    for (const Datagram& d : preReceiver.datagrams) {
        const int got =
            opus_decode_float(decoder, d.payload.data(), static_cast<opus_int32>(d.payload.size()),
                              frame.data(), 5760, 0);
        ASSERT_EQ(got, static_cast<int>(opusFrames));
        for (int n = 0; n < got; ++n) {
            left.push_back(frame[2 * static_cast<size_t>(n)]);
        }
    }
    opus_decoder_destroy(decoder);
    // The steady part (past the codec's start-up): 0.2 s, 5 Hz bins.
    const std::vector<float> steady(left.begin() + 9600, left.begin() + 19200);
    EXPECT_EQ(dominantHz(steady), kPreHz);
    EXPECT_NEAR(amplitudeAt(steady, kPreHz), 0.5, 0.5 * 0.06);  // within half a dB
    EXPECT_LT(amplitudeAt(steady, kPostHz), 0.5 * 0.001);       // 60 dB down: not there

    const auto stats = streamer.stats();
    ASSERT_EQ(stats.size(), 2u);
    EXPECT_EQ(stats[0].tap, Tap::Pre);
    EXPECT_EQ(stats[0].sender.packets, preReceiver.datagrams.size());
    EXPECT_EQ(stats[1].tap, Tap::Post);
    EXPECT_EQ(stats[1].sender.packets, postReceiver.datagrams.size());
}

TEST(RtpStreamerTest, NothingIsSentAfterStop) {
    SampleTaps taps;
    taps.prepare(kRate, kChannels, kMaxBlock);
    Receiver receiver;
    RtpStreamer streamer(taps);
    auto target =
        parseRtpSendTarget("rtp://127.0.0.1:" + std::to_string(receiver.port()) + "?codec=l16");
    ASSERT_TRUE(target);
    ASSERT_TRUE(streamer.start({*target}));
    streamer.stop();
    std::vector<float> audio(kMaxBlock, 0.25f);
    float* channels[kChannels] = {audio.data(), audio.data()};
    // 10240 frames: 28 packets of 360 (L16 stereo under the MTU) were it still sending.
    for (int b = 0; b < 40; ++b) {
        taps.beginBlock();
        taps.feed(Tap::Post, AudioBlock(channels, kChannels, kMaxBlock));
    }
    // The taps are off: the send ring took nothing, so a new start finds nothing old either.
    EXPECT_EQ(taps.send(Tap::Post).availableFrames(), 0u);
    receiver.drain();
    EXPECT_TRUE(receiver.datagrams.empty());
    EXPECT_EQ(streamer.stats().at(0).sender.packets, 0u);
}

}  // namespace
}  // namespace liverack::core
