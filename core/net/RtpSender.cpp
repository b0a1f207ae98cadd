#include "core/net/RtpSender.h"

#include <opus/opus.h>
#include <soxr.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/multicast.hpp>
#include <boost/asio/ip/unicast.hpp>
#include <boost/system/error_code.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "core/net/LinearPcm.h"
#include "core/net/RtpPacket.h"
#include "core/net/SdpDescription.h"

namespace liverack::core {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

constexpr unsigned kOpusRate = 48000;
// A PCM packet's payload stays under an Ethernet MTU with IP, UDP and RTP headers, so nothing is
// fragmented (a lost fragment loses the whole datagram): at 48 kHz stereo L24, 5 ms a packet.
constexpr size_t kMaxPcmPayloadBytes = 1440;
constexpr size_t kMaxOpusPayloadBytes = 1500;  // RFC 7587 §4.2 allows up to 1275 per frame
constexpr auto kReportInterval = std::chrono::seconds(5);  // RFC 3550 §6.2's minimum
constexpr uint32_t kNtpUnixOffset = 2208988800u;           // 1900 to 1970, in seconds

void put32(uint8_t* to, uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        to[i] = static_cast<uint8_t>(value >> (24 - 8 * i));
    }
}

}  // namespace

RtpSender::RtpSender(const RtpSendTarget& target, double sampleRate, uint32_t streamChannels)
    : target_(target),
      sampleRate_(sampleRate),
      streamChannels_(std::max(1u, streamChannels)),
      channels_(target.channels != 0
                    ? target.channels
                    : std::min(streamChannels_, target.codec == RtpCodec::Opus ? 2u : 8u)),
      rtpRate_(target.codec == RtpCodec::Opus ? kOpusRate
                                              : static_cast<unsigned>(std::lround(sampleRate))) {}

RtpSender::~RtpSender() {
    if (encoder_ != nullptr) {
        opus_encoder_destroy(encoder_);
    }
    if (resampler_ != nullptr) {
        soxr_delete(resampler_);
    }
}

Result<std::unique_ptr<RtpSender>> RtpSender::open(const RtpSendTarget& target, double sampleRate,
                                                   uint32_t streamChannels) {
    std::unique_ptr<RtpSender> sender(new RtpSender(target, sampleRate, streamChannels));
    if (auto prepared = sender->prepare(); !prepared) {
        return Error{prepared.error()};
    }
    return sender;
}

Result<void> RtpSender::prepare() {
    const std::string where = target_.host + ":" + std::to_string(target_.port);
    boost::system::error_code error;
    udp::resolver resolver(io_);
    const auto found = resolver.resolve(target_.host, std::to_string(target_.port),
                                        udp::resolver::numeric_service, error);
    if (error || found.empty()) {
        return Error{"cannot send RTP to " + where + ": the host '" + target_.host +
                     "' is unknown (" + error.message() + ")"};
    }
    destination_ = *found.begin();
    reportDestination_ =
        udp::endpoint(destination_.address(), static_cast<uint16_t>(target_.port + 1));
    socket_.open(destination_.protocol(), error);
    if (error) {
        return Error{"cannot send RTP to " + where + ": no UDP socket (" + error.message() + ")"};
    }
    if (target_.ttl > 0) {
        if (destination_.address().is_multicast()) {
            socket_.set_option(asio::ip::multicast::hops(target_.ttl), error);
        } else {
            socket_.set_option(asio::ip::unicast::hops(target_.ttl), error);
        }
        if (error) {
            return Error{"cannot send RTP to " + where + " with ttl " +
                         std::to_string(target_.ttl) + " (" + error.message() + ")"};
        }
    }

    if (target_.codec == RtpCodec::Opus) {
        int status = OPUS_OK;
        encoder_ =
            opus_encoder_create(static_cast<opus_int32>(kOpusRate), static_cast<int>(channels_),
                                OPUS_APPLICATION_AUDIO, &status);
        if (status != OPUS_OK) {
            return Error{std::string("cannot start the Opus encoder: ") + opus_strerror(status)};
        }
        opus_encoder_ctl(encoder_, OPUS_SET_BITRATE(static_cast<opus_int32>(target_.bitrate)));
        if (std::lround(sampleRate_) != kOpusRate) {
            // Opus's RTP clock is 48 kHz (RFC 7587 §4.1), so every other rate is resampled.
            soxr_error_t soxrError = nullptr;
            const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
            const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
            resampler_ =
                soxr_create(sampleRate_, kOpusRate, channels_, &soxrError, &io, &quality, nullptr);
            if (soxrError != nullptr) {
                return Error{std::string("cannot resample for Opus: ") + soxrError};
            }
        }
        frameSamples_ = static_cast<unsigned>(std::lround(target_.frameMs * kOpusRate / 1000.0));
    } else {
        const auto width = target_.codec == RtpCodec::L24 ? PcmWidth::L24 : PcmWidth::L16;
        const size_t wanted = static_cast<size_t>(std::lround(target_.frameMs * rtpRate_ / 1000.0));
        const size_t fits = kMaxPcmPayloadBytes / pcmBytes(width, channels_);
        frameSamples_ = static_cast<unsigned>(std::max<size_t>(1, std::min(wanted, fits)));
    }

    std::random_device entropy;  // RFC 3550 §5.1: random SSRC, sequence and timestamp origins
    ssrc_ = entropy();
    sequence_ = static_cast<uint16_t>(entropy());
    timestamp_ = entropy();
    packet_.resize(kRtpHeaderBytes + std::max(kMaxOpusPayloadBytes, kMaxPcmPayloadBytes));
    return {};
}

void RtpSender::send(const float* const* channels, size_t frames) {
    interleaved_.resize(frames * channels_);
    for (size_t n = 0; n < frames; ++n) {
        for (unsigned c = 0; c < channels_; ++c) {
            // More channels asked for than the stream has: the last one repeats.
            interleaved_[n * channels_ + c] = channels[std::min(c, streamChannels_ - 1)][n];
        }
    }
    const float* in = interleaved_.data();
    size_t available = frames;
    if (resampler_ != nullptr) {
        resampled_.resize((frames * kOpusRate / static_cast<size_t>(sampleRate_) + 64) * channels_);
        size_t produced = 0;
        soxr_process(resampler_, interleaved_.data(), frames, nullptr, resampled_.data(),
                     resampled_.size() / channels_, &produced);
        in = resampled_.data();
        available = produced;
    }
    pending_.insert(pending_.end(), in, in + available * channels_);
    size_t offset = 0;
    const size_t packetFloats = static_cast<size_t>(frameSamples_) * channels_;
    while (pending_.size() - offset >= packetFloats) {
        const float* audio = pending_.data() + offset;
        size_t payload = 0;
        uint8_t* to = packet_.data() + kRtpHeaderBytes;
        if (encoder_ != nullptr) {
            const opus_int32 bytes =
                opus_encode_float(encoder_, audio, static_cast<int>(frameSamples_), to,
                                  static_cast<opus_int32>(kMaxOpusPayloadBytes));
            payload = bytes > 0 ? static_cast<size_t>(bytes) : 0;
        } else {
            const auto width = target_.codec == RtpCodec::L24 ? PcmWidth::L24 : PcmWidth::L16;
            encodeLinearPcm(audio, packetFloats, width, to);
            payload = pcmBytes(width, packetFloats);
        }
        offset += packetFloats;
        if (payload == 0) {
            ++sendErrors_;  // the encoder failed; the timestamp moves on, receivers conceal a gap
            timestamp_ += frameSamples_;
            continue;
        }
        RtpHeader header;
        header.marker = first_;  // RFC 3551 §4.1: the first packet of a talkspurt
        header.payloadType = target_.payloadType;
        header.sequence = sequence_++;
        header.timestamp = timestamp_;
        header.ssrc = ssrc_;
        writeRtpHeader(header,
                       std::span<uint8_t, kRtpHeaderBytes>(packet_.data(), kRtpHeaderBytes));
        boost::system::error_code error;
        socket_.send_to(asio::buffer(packet_.data(), kRtpHeaderBytes + payload), destination_, 0,
                        error);
        if (error) {
            ++sendErrors_;
        } else {
            packets_.fetch_add(1, std::memory_order_relaxed);
            payloadBytes_.fetch_add(payload, std::memory_order_relaxed);
        }
        first_ = false;
        timestamp_ += frameSamples_;
        sendReportIfDue();
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(offset));
}

// RFC 3550 §6.4.1: a sender report ties the RTP clock to wall-clock time (NTP format), so a
// receiver can line this stream up with others, and says how much was sent.
void RtpSender::sendReportIfDue() {
    const auto now = std::chrono::steady_clock::now();
    if (packets_.load(std::memory_order_relaxed) > 1 && now - lastReport_ < kReportInterval) {
        return;
    }
    lastReport_ = now;
    const auto wall = std::chrono::system_clock::now().time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wall);
    const double fraction = std::chrono::duration<double>(wall - seconds).count();
    std::array<uint8_t, 28> report{};
    report[0] = 0x80;  // version 2, no padding, no report blocks
    report[1] = 200;   // SR
    report[3] = 6;     // length in 32-bit words, minus one
    put32(report.data() + 4, ssrc_);
    put32(report.data() + 8, static_cast<uint32_t>(seconds.count()) + kNtpUnixOffset);
    put32(report.data() + 12, static_cast<uint32_t>(fraction * 4294967296.0));
    put32(report.data() + 16, timestamp_);  // the next sample, taken now
    put32(report.data() + 20, static_cast<uint32_t>(packets_.load(std::memory_order_relaxed)));
    put32(report.data() + 24, static_cast<uint32_t>(payloadBytes_.load(std::memory_order_relaxed)));
    boost::system::error_code error;
    socket_.send_to(asio::buffer(report), reportDestination_, 0, error);
}

std::string RtpSender::sdp() const {
    RtpStreamDescription stream;
    stream.address = destination_.address().to_string();
    stream.port = target_.port;
    stream.payloadType = target_.payloadType;
    stream.codec = target_.codec;
    stream.clockRate = rtpRate_;
    stream.channels = channels_;
    stream.ptimeMs = 1000.0 * frameSamples_ / rtpRate_;
    if (destination_.address().is_multicast()) {
        stream.ttl = target_.ttl > 0 ? target_.ttl : 1;
    }
    stream.sessionId = std::to_string(ssrc_);
    return writeSdp(stream);
}

RtpSenderStats RtpSender::stats() const {
    RtpSenderStats s;
    s.packets = packets_.load(std::memory_order_relaxed);
    s.payloadBytes = payloadBytes_.load(std::memory_order_relaxed);
    s.sendErrors = sendErrors_.load(std::memory_order_relaxed);
    return s;
}

}  // namespace liverack::core
