// An RtpSource on loopback with a real RtpSender feeding it a 1 kHz sine, the test playing both
// the sender and the audio thread on one steady-clock schedule (so the two clocks agree and the
// output must be the sine at its pitch and level), and sending datagrams a receiver must ignore:
// too short, the wrong version, another sender, another payload type.
#include "core/net/RtpSource.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cmath>
#include <functional>
#include <numbers>
#include <thread>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/net/RtpPacket.h"
#include "core/net/RtpSender.h"

namespace liverack::core {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;

constexpr double kRate = 48000.0;
constexpr uint32_t kBlock = 256;
constexpr uint32_t kChannels = 2;
constexpr double kToneHz = 1000.0;
constexpr double kAmplitude = 0.5;

// The sender and the audio thread on one clock: every block period the sender gets the next 256
// frames of the sine and the source is asked for a block. Late wake-ups catch up (the schedule is
// the clock's, not the thread's).
class Loop {
public:
    Loop() {
        RtpSourceSpec spec;
        spec.bindAddress = "127.0.0.1";
        spec.port = 0;  // any free port: localPort() says which
        spec.codec = RtpCodec::L24;
        spec.clockRate = 48000;
        spec.channels = kChannels;
        auto source = RtpSource::open(spec);
        EXPECT_TRUE(source) << source.error();
        if (!source) {
            return;
        }
        source_ = std::move(source.value());
        source_->prepare({kRate, kBlock, kChannels});

        RtpSendTarget target;
        target.host = "127.0.0.1";
        target.port = source_->localPort();
        target.codec = RtpCodec::L24;
        auto sender = RtpSender::open(target, kRate, kChannels);
        EXPECT_TRUE(sender) << sender.error();
        if (sender) {
            sender_ = std::move(sender.value());
        }
        input_.resize(kChannels, kBlock);
        output_.resize(kChannels, kBlock);
        start_ = Clock::now();
        lastWake_ = start_;
    }
    bool ready() const { return source_ && sender_; }
    RtpSource& source() { return *source_; }
    RtpSender& sender() { return *sender_; }

    // Runs until `seconds` of audio have been played; `between` is called after each block with
    // the time played so far.
    void run(double seconds, bool sending, const std::function<void(double)>& between = {}) {
        const auto period = std::chrono::duration<double>(kBlock / kRate);
        const auto blocks = static_cast<size_t>(seconds * kRate / kBlock);
        for (size_t b = 0; b < blocks; ++b) {
            ++block_;
            // After a stall the blocks catch up at four a period (a sound card's callbacks come
            // as fast as its buffer frees, not all at once), so the receiver thread, which
            // refills every millisecond, sees the pace it would from a device.
            const auto due =
                start_ + std::chrono::duration_cast<Clock::duration>(period * double(block_));
            const auto wake = std::max(
                due, lastWake_ + std::chrono::duration_cast<Clock::duration>(period / 4.0));
            std::this_thread::sleep_until(wake);
            lastWake_ = Clock::now();
            if (sending) {
                for (uint32_t n = 0; n < kBlock; ++n) {
                    const double phase =
                        2.0 * std::numbers::pi * kToneHz * static_cast<double>(sent_ + n) / kRate;
                    input_.channel(0)[n] = static_cast<float>(kAmplitude * std::sin(phase));
                    input_.channel(1)[n] = static_cast<float>(kAmplitude * std::cos(phase));
                }
                const float* channels[kChannels] = {input_.channel(0), input_.channel(1)};
                sender_->send(channels, kBlock);
                sent_ += kBlock;
            }
            source_->process(output_.block());
            for (uint32_t c = 0; c < kChannels; ++c) {
                played_[c].insert(played_[c].end(), output_.channel(c),
                                  output_.channel(c) + kBlock);
            }
            if (between) {
                between(playedSeconds());
            }
        }
    }
    double playedSeconds() const { return static_cast<double>(played_[0].size()) / kRate; }
    const std::vector<float>& played(uint32_t channel) const { return played_[channel]; }

private:
    std::unique_ptr<RtpSource> source_;
    std::unique_ptr<RtpSender> sender_;
    AudioBuffer input_;
    AudioBuffer output_;
    Clock::time_point start_;
    Clock::time_point lastWake_;
    size_t block_ = 0;
    size_t sent_ = 0;
    std::vector<float> played_[kChannels];
};

// [from, to) of a channel split where playout ran dry (runs of exact zeros: a resampled sine
// has none), so a pitch or level measurement can skip a machine's scheduling hiccup.
std::vector<std::pair<size_t, size_t>> unbrokenSpans(const std::vector<float>& x, size_t from,
                                                     size_t to) {
    std::vector<std::pair<size_t, size_t>> spans;
    size_t begin = from;
    for (size_t n = from; n < to; ++n) {
        const bool silent = x[n] == 0.0f && n + 1 < to && x[n + 1] == 0.0f;
        if (silent) {
            if (n > begin) {
                spans.push_back({begin, n});
            }
            while (n < to && x[n] == 0.0f) {
                ++n;
            }
            begin = n;
        }
    }
    if (to > begin) {
        spans.push_back({begin, to});
    }
    return spans;
}

struct ToneMeasurement {
    double hz = 0.0;
    double rms = 0.0;
    double peak = 0.0;
    double seconds = 0.0;  // measured (whole periods, gaps left out)
    size_t spans = 0;
};

// Pitch from the upward zero crossings (interpolated) and RMS over whole periods, within each
// unbroken span of [from, to), pooled.
ToneMeasurement measureTone(const std::vector<float>& x, size_t from, size_t to) {
    double periods = 0.0;
    double span = 0.0;
    double energy = 0.0;
    double samples = 0.0;
    ToneMeasurement m;
    for (const auto& [begin, end] : unbrokenSpans(x, from, to)) {
        if (end - begin < 480) {
            continue;  // under ten periods: not worth the edges
        }
        ++m.spans;
        double first = -1.0;
        double last = -1.0;
        size_t firstIndex = 0;
        size_t lastIndex = 0;
        size_t crossings = 0;
        for (size_t n = begin + 1; n < end; ++n) {
            if (x[n - 1] < 0.0f && x[n] >= 0.0f) {
                const double at = double(n - 1) + x[n - 1] / (x[n - 1] - x[n]);
                if (first < 0.0) {
                    first = at;
                    firstIndex = n;
                } else {
                    ++crossings;
                }
                last = at;
                lastIndex = n;
            }
        }
        periods += double(crossings);
        span += last - first;
        for (size_t n = firstIndex; n < lastIndex; ++n) {
            energy += double(x[n]) * x[n];
            m.peak = std::max(m.peak, std::abs(double(x[n])));
        }
        samples += double(lastIndex - firstIndex);
    }
    m.hz = periods * kRate / span;
    m.rms = std::sqrt(energy / samples);
    m.seconds = span / kRate;
    return m;
}

double decibels(double ratio) {
    return 20.0 * std::log10(ratio);
}

// Whether anything ran dry or was concealed: then the drift steering may have moved the pitch
// (by up to its bound) to rebuild the buffer, which is its job, not a fault.
bool hiccups(const RtpReceiverStats& s) {
    return s.underrunFrames > 0 || s.concealed > 0 || s.rebuffers > 0;
}

// The statistics once they count every packet sent until now: the stream goes on (sender and
// audio thread alike) until the receiver thread has published them, for at most a second.
RtpReceiverStats settledStats(Loop& loop, uint64_t& sent) {
    sent = loop.sender().stats().packets;
    RtpReceiverStats s = loop.source().stats();
    for (int i = 0; i < 200 && s.packets < sent; ++i) {
        loop.run(kBlock / kRate, true);
        s = loop.source().stats();
    }
    return s;
}

TEST(RtpSourceTest, AStreamOnTheSameClockPlaysTheSineAtItsPitchAndLevel) {
    Loop loop;
    ASSERT_TRUE(loop.ready());
    EXPECT_NE(loop.source().localPort(), 0);
    // Buffering (40 ms), two seconds of settling at the nominal ratio, then a second of the drift
    // steering holding the level; then two seconds measured.
    loop.run(5.2, true);
    const RtpReceiverStats during = loop.source().stats();
    EXPECT_TRUE(during.playing);
    EXPECT_FALSE(during.sender.empty());
    EXPECT_EQ(during.sender.rfind("127.0.0.1:", 0), 0u) << during.sender;

    const size_t from = static_cast<size_t>(3.2 * kRate);
    const size_t to = static_cast<size_t>(5.2 * kRate);
    uint64_t sent = 0;
    const RtpReceiverStats after = settledStats(loop, sent);
    EXPECT_GE(after.packets, sent);
    EXPECT_LE(after.packets, loop.sender().stats().packets);
    EXPECT_EQ(after.lost, 0u);
    EXPECT_EQ(after.malformed, 0u);
    EXPECT_EQ(after.foreign, 0u);
    EXPECT_EQ(after.duplicates, 0u);
    EXPECT_EQ(after.ssrc, during.ssrc);

    for (uint32_t c = 0; c < kChannels; ++c) {
        SCOPED_TRACE(c == 0 ? "left" : "right");
        const ToneMeasurement m = measureTone(loop.played(c), from, to);
        ASSERT_GT(m.seconds, 1.5) << "the stream hardly played";
        // With nothing to rebuild the ratio stays nominal to within a few ppm; after a hiccup of
        // this machine's the steering may pull by up to its bound (1000 ppm: 1 Hz at 1 kHz).
        const double bound = hiccups(after) ? kToneHz * DriftController::kMaxCorrection : 0.5;
        EXPECT_NEAR(m.hz, kToneHz, bound) << "hiccups: " << after.underrunFrames
                                          << " frames short, " << after.concealed << " concealed";
        EXPECT_NEAR(decibels(m.rms / (kAmplitude / std::sqrt(2.0))), 0.0, 0.1);
        EXPECT_LT(m.peak, kAmplitude * 1.01);
    }
}

// A datagram from another socket (another port) to the source.
class Intruder {
public:
    explicit Intruder(uint16_t port)
        : socket_(io_, udp::endpoint(udp::v4(), 0)), to_(asio::ip::address_v4::loopback(), port) {}
    void send(const std::vector<uint8_t>& bytes) { socket_.send_to(asio::buffer(bytes), to_); }

    // A well-formed RTP packet whose payload, were it played, would be full scale.
    static std::vector<uint8_t> packet(uint8_t payloadType, uint16_t sequence, uint32_t timestamp,
                                       uint32_t ssrc) {
        std::vector<uint8_t> bytes(kRtpHeaderBytes + 1440, 0x7f);
        RtpHeader header;
        header.payloadType = payloadType;
        header.sequence = sequence;
        header.timestamp = timestamp;
        header.ssrc = ssrc;
        writeRtpHeader(header, std::span<uint8_t, kRtpHeaderBytes>(bytes.data(), kRtpHeaderBytes));
        return bytes;
    }

private:
    asio::io_context io_;
    udp::socket socket_;
    udp::endpoint to_;
};

TEST(RtpSourceTest, DatagramsOfNoStreamOrOfAnotherAreCountedAndNeverHeard) {
    Loop loop;
    ASSERT_TRUE(loop.ready());
    Intruder intruder(loop.source().localPort());
    loop.run(0.5, true);
    const RtpReceiverStats locked = loop.source().stats();
    ASSERT_TRUE(locked.playing);
    const uint32_t ssrc = locked.ssrc;

    // Each twice, between blocks, while the stream plays (still settling at the nominal ratio,
    // so the pitch is exact whatever the buffer does).
    int sentAt = 0;
    loop.run(1.5, true, [&](double t) {
        if ((sentAt == 0 && t >= 0.8) || (sentAt == 1 && t >= 1.2)) {
            ++sentAt;
            intruder.send({0x80, 96, 0});  // shorter than a header
            std::vector<uint8_t> version1 = Intruder::packet(96, 1, 0, ssrc);
            version1[0] = 0x40;
            intruder.send(version1);
            intruder.send(Intruder::packet(96, 7, 4800, ssrc + 1));  // another sender
            intruder.send(Intruder::packet(97, 7, 4800, ssrc));      // another payload type
        }
    });
    ASSERT_EQ(sentAt, 2);
    uint64_t sent = 0;
    const RtpReceiverStats after = settledStats(loop, sent);
    EXPECT_EQ(after.malformed, 4u);
    EXPECT_EQ(after.foreign, 4u);
    EXPECT_EQ(after.ssrc, ssrc);  // still locked to the stream
    EXPECT_GE(after.packets, sent);
    EXPECT_LE(after.packets, loop.sender().stats().packets);
    EXPECT_EQ(after.lost, 0u);
    EXPECT_EQ(after.rebuffers, 0u);

    const size_t from = static_cast<size_t>(0.5 * kRate);
    const size_t to = static_cast<size_t>(2.0 * kRate);
    for (uint32_t c = 0; c < kChannels; ++c) {
        SCOPED_TRACE(c == 0 ? "left" : "right");
        const ToneMeasurement m = measureTone(loop.played(c), from, to);
        ASSERT_GT(m.seconds, 1.0);
        EXPECT_NEAR(m.hz, kToneHz, 0.5);
        EXPECT_NEAR(decibels(m.rms / (kAmplitude / std::sqrt(2.0))), 0.0, 0.1);
        EXPECT_LT(m.peak, kAmplitude * 1.01) << "the intruders' full-scale payloads were played";
    }
}

TEST(RtpSourceTest, APortInUseIsRefusedWithASentence) {
    Loop loop;
    ASSERT_TRUE(loop.ready());
    RtpSourceSpec spec;
    spec.bindAddress = "127.0.0.1";
    spec.port = loop.source().localPort();
    spec.codec = RtpCodec::L24;
    auto second = RtpSource::open(spec);
    ASSERT_FALSE(second);
    EXPECT_NE(
        second.error().find("cannot listen for RTP on 127.0.0.1 port " + std::to_string(spec.port)),
        std::string::npos)
        << second.error();
}

TEST(RtpSourceTest, BeforeAnyPacketTheSourcePlaysSilenceAndCountsNoUnderrun) {
    Loop loop;
    ASSERT_TRUE(loop.ready());
    loop.run(0.2, false);
    for (uint32_t c = 0; c < kChannels; ++c) {
        EXPECT_TRUE(std::all_of(loop.played(c).begin(), loop.played(c).end(),
                                [](float x) { return x == 0.0f; }));
    }
    const RtpReceiverStats s = loop.source().stats();
    EXPECT_FALSE(s.playing);
    EXPECT_EQ(s.packets, 0u);
    EXPECT_EQ(s.underrunFrames, 0u);
    EXPECT_TRUE(s.sender.empty());
}

}  // namespace
}  // namespace liverack::core
