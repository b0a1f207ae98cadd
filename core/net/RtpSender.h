// Sends one RTP stream (RFC 3550) to one destination: audio in, Opus (RFC 7587) or linear PCM
// packets out over UDP, with RTCP sender reports to the next port up. It runs on a network thread
// that pops the tap's ring; the audio thread never reaches it.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/net/RtpSendTarget.h"
#include "core/util/Result.h"

struct OpusEncoder;
struct soxr;

namespace liverack::core {

struct RtpSenderStats {
    uint64_t packets = 0;
    uint64_t payloadBytes = 0;
    uint64_t sendErrors = 0;  // datagrams the system refused (no route, buffer full...)
};

class RtpSender {
public:
    // Control thread: resolves the host, opens the socket and the encoder for audio of
    // `streamChannels` at `sampleRate`. A sentence when any of it fails.
    static Result<std::unique_ptr<RtpSender>> open(const RtpSendTarget& target, double sampleRate,
                                                   uint32_t streamChannels);
    ~RtpSender();
    RtpSender(const RtpSender&) = delete;
    RtpSender& operator=(const RtpSender&) = delete;

    // Network thread: `frames` frames of planar audio (the stream's channels); whole packets go
    // out as soon as they are full, the rest waits for the next call.
    void send(const float* const* channels, size_t frames);

    // The SDP (RFC 4566) a receiver opens to play this stream.
    std::string sdp() const;
    const RtpSendTarget& target() const { return target_; }
    // Any thread.
    RtpSenderStats stats() const;

    // The RTP clock: 48 kHz for Opus whatever the stream's rate (RFC 7587), the stream's own for
    // PCM.
    unsigned rtpRate() const { return rtpRate_; }
    unsigned channels() const { return channels_; }
    unsigned frameSamples() const { return frameSamples_; }  // per packet, at rtpRate()

private:
    RtpSender(const RtpSendTarget& target, double sampleRate, uint32_t streamChannels);
    Result<void> prepare();
    void sendPacket();
    void sendReportIfDue();

    RtpSendTarget target_;
    double sampleRate_;
    uint32_t streamChannels_;
    unsigned channels_;
    unsigned rtpRate_;
    unsigned frameSamples_ = 0;

    boost::asio::io_context io_;
    boost::asio::ip::udp::socket socket_{io_};
    boost::asio::ip::udp::endpoint destination_;
    boost::asio::ip::udp::endpoint reportDestination_;
    std::string sourceAddress_;

    OpusEncoder* encoder_ = nullptr;
    soxr* resampler_ = nullptr;  // only when Opus is fed a rate it does not take itself

    std::vector<float> pending_;  // interleaved, at rtpRate(), not yet a whole packet
    std::vector<float> interleaved_;
    std::vector<float> resampled_;
    std::vector<uint8_t> packet_;

    uint32_t ssrc_ = 0;
    uint16_t sequence_ = 0;
    uint32_t timestamp_ = 0;
    bool first_ = true;
    std::chrono::steady_clock::time_point lastReport_{};
    std::atomic<uint64_t> packets_{0};
    std::atomic<uint64_t> payloadBytes_{0};
    std::atomic<uint64_t> sendErrors_{0};
};

}  // namespace liverack::core
