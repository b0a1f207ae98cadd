#include "core/net/RtpSource.h"

#include <poll.h>
#include <soxr.h>

#include <algorithm>
#include <boost/asio/ip/multicast.hpp>
#include <boost/system/error_code.hpp>
#include <cmath>

#include "core/net/RtpPacket.h"

namespace liverack::core {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;

constexpr size_t kJitterSlots = 1024;      // 2.5 s of 2.5 ms packets: beyond any latency allowed
constexpr size_t kMaxPayloadBytes = 4096;  // larger than any packet of an unfragmented stream
constexpr size_t kMaxDatagramBytes = 65536;
constexpr int kReceiveBufferBytes = 1 << 20;
// Concealment in a row while nothing at all arrives, before playout stops and waits to fill its
// buffer again: the sender paused or went away.
constexpr double kStarvedSeconds = 0.2;
// After this long without starving, a raised target comes down at kTargetDecay (seconds/second).
constexpr double kCalmSeconds = 5.0;
constexpr double kTargetDecay = 200e-6;
// How far above its level the buffer may stand (smoothed) before turns are dropped to catch up.
constexpr double kCatchUpSeconds = 0.025;

}  // namespace

RtpSource::RtpSource(const RtpSourceSpec& spec)
    : spec_(spec), jitter_(kJitterSlots, kMaxPayloadBytes), datagram_(kMaxDatagramBytes) {}

RtpSource::~RtpSource() {
    stopReceiver();
    soxr_delete(resampler_);
}

Result<std::unique_ptr<RtpSource>> RtpSource::open(const RtpSourceSpec& spec) {
    std::unique_ptr<RtpSource> source(new RtpSource(spec));
    if (Status bound = source->bind(); !bound) {
        return Error{bound.error()};
    }
    auto decoder = RtpPayloadDecoder::create(spec.codec, spec.clockRate, spec.channels);
    if (!decoder) {
        return Error{decoder.error()};
    }
    source->decoder_ = std::move(decoder.value());
    return source;
}

Status RtpSource::bind() {
    boost::system::error_code error;
    asio::ip::address address = asio::ip::address_v4::any();
    if (!spec_.bindAddress.empty()) {
        address = asio::ip::make_address(spec_.bindAddress, error);
        if (error) {
            return Error{"cannot listen for RTP on '" + spec_.bindAddress +
                         "': " + error.message()};
        }
    }
    const bool multicast = address.is_multicast();
    // A group is received on the wildcard address of its family; the socket joins it below.
    const asio::ip::address local =
        multicast ? (address.is_v6() ? asio::ip::address(asio::ip::address_v6::any())
                                     : asio::ip::address(asio::ip::address_v4::any()))
                  : address;
    const udp::endpoint endpoint(local, spec_.port);
    const std::string where =
        (spec_.bindAddress.empty() ? std::string("port ") : spec_.bindAddress + " port ") +
        std::to_string(spec_.port);
    socket_.open(endpoint.protocol(), error);
    if (!error && multicast) {
        socket_.set_option(asio::socket_base::reuse_address(true), error);
    }
    if (!error) {
        socket_.bind(endpoint, error);
    }
    if (error) {
        return Error{"cannot listen for RTP on " + where + ": " + error.message() +
                     (error == asio::error::address_in_use
                          ? " (another program, or another LiveRack, receives there)"
                          : "")};
    }
    if (multicast) {
        socket_.set_option(asio::ip::multicast::join_group(address), error);
        if (error) {
            return Error{"cannot join the multicast group " + spec_.bindAddress + ": " +
                         error.message()};
        }
    }
    // Room for a burst the receiver thread meets late; refusal only means the system's default.
    socket_.set_option(asio::socket_base::receive_buffer_size(kReceiveBufferBytes), error);
    socket_.non_blocking(true, error);
    if (error) {
        return Error{"cannot listen for RTP on " + where + ": " + error.message()};
    }
    localPort_ = socket_.local_endpoint(error).port();
    return {};
}

std::string RtpSource::description() const {
    std::string codec(codecName(spec_.codec));
    return "RTP " + codec + " on port " + std::to_string(localPort_);
}

void RtpSource::prepare(const ProcessSpec& spec) {
    stopReceiver();
    streamRate_ = spec.sampleRate;
    maxBlockFrames_ = spec.maxBlockFrames;
    const double maxLatency = spec_.maxLatency() / 1000.0;
    ring_ = std::make_unique<SampleRing>(
        spec.channels, static_cast<size_t>((maxLatency + 0.5) * streamRate_) + 4 * maxBlockFrames_);
    blockFrames_.store(0);
    targetSeconds_ = 0.0;
    followBlockSize();
    decoded_.assign(RtpPayloadDecoder::kMaxFramesPerTurn * spec_.channels, 0.0f);
    nominalRatio_ = spec_.clockRate / streamRate_;
    const size_t maxOut =
        static_cast<size_t>(RtpPayloadDecoder::kMaxFramesPerTurn / nominalRatio_ * 1.1) + 64;
    resampled_.resize(spec_.channels, static_cast<uint32_t>(maxOut));

    soxr_delete(resampler_);
    resampler_ = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_S);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, SOXR_VR);
    const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    soxr_error_t error = nullptr;
    // A variable-rate resampler is created at its largest ratio (libsoxr's example 5).
    resampler_ =
        soxr_create(nominalRatio_ * 1.01, 1.0, spec_.channels, &error, &io, &quality, &runtime);
    if (error == nullptr) {
        error = soxr_set_io_ratio(resampler_, nominalRatio_, 0);
    }
    if (error != nullptr) {
        soxr_delete(resampler_);
        resampler_ = nullptr;
        return;  // no resampler: process() plays silence; stats show nothing playing
    }
    state_ = State::Waiting;
    locked_ = false;
    expectingAudio_.store(false);
    restartStream();
    startReceiver();
}

void RtpSource::followBlockSize() {
    const uint32_t seen = blockFrames_.load(std::memory_order_relaxed);
    followedBlock_ = seen;
    const size_t block = seen != 0 ? seen : std::min<uint32_t>(maxBlockFrames_, 256);
    // Ring: two blocks and 5 ms for the receiver thread being late; the jitter buffer the rest.
    lowWaterFrames_ = 2 * block + static_cast<size_t>(0.005 * streamRate_);
    dryFrames_ = block + static_cast<size_t>(0.002 * streamRate_);
    const double least = static_cast<double>(lowWaterFrames_ + block) / streamRate_ + 0.010;
    targetSeconds_ = std::clamp(std::max(targetSeconds_, spec_.latencyMs / 1000.0), least,
                                std::max(least, spec_.maxLatency() / 1000.0));
}

void RtpSource::startReceiver() {
    quit_.store(false);
    thread_ = std::thread([this] { receiverLoop(); });
}

void RtpSource::stopReceiver() {
    if (thread_.joinable()) {
        quit_.store(true);
        thread_.join();
    }
}

void RtpSource::process(AudioBlock block) noexcept {
    const uint32_t frames = block.frameCount();
    deviceFrames_.fetch_add(frames, std::memory_order_relaxed);
    if (blockFrames_.load(std::memory_order_relaxed) != frames) {
        blockFrames_.store(frames, std::memory_order_relaxed);
    }
    if (!ring_) {
        block.clear();
        return;
    }
    const size_t got = ring_->pop(block.channels(), frames);
    if (got < frames) {
        for (uint32_t c = 0; c < block.channelCount(); ++c) {
            std::fill(block.channel(c) + got, block.channel(c) + frames, 0.0f);
        }
        if (expectingAudio_.load(std::memory_order_relaxed)) {
            underrunFrames_.fetch_add(frames - got, std::memory_order_relaxed);
        }
    }
}

void RtpSource::restartStream() {
    const JitterBufferStats& s = jitter_.stats();
    carried_.received += s.received;
    carried_.duplicates += s.duplicates;
    carried_.late += s.late;
    carried_.reordered += s.reordered;
    carried_.lost += s.lost;
    carried_.tooFar += s.tooFar;
    jitter_ = JitterBuffer(kJitterSlots, kMaxPayloadBytes);
    clockDrift_.reset(streamRate_, spec_.clockRate);
    timestampKnown_ = false;
    if (decoder_) {
        decoder_->reset();
    }
    starvedTurns_ = 0;
    if (state_ == State::Playing) {
        state_ = State::Buffering;
        ++rebuffers_;
    }
    expectingAudio_.store(false, std::memory_order_relaxed);
}

void RtpSource::receiverLoop() {
    auto last = Clock::now();
    auto lastPublish = last;
    pollfd descriptor{socket_.native_handle(), POLLIN, 0};
    while (!quit_.load(std::memory_order_acquire)) {
        descriptor.revents = 0;
        ::poll(&descriptor, 1, kPollMilliseconds);
        const auto now = Clock::now();
        receivePackets(now);
        if (resampler_ != nullptr) {
            playOut(std::chrono::duration<double>(now - last).count());
        }
        last = now;
        if (now - lastPublish > std::chrono::milliseconds(50)) {
            publish();
            lastPublish = now;
        }
    }
    publish();
}

void RtpSource::receivePackets(Clock::time_point now) {
    for (int i = 0; i < 256; ++i) {  // bounded, so playout is never starved by a flood
        udp::endpoint from;
        boost::system::error_code error;
        const size_t size = socket_.receive_from(asio::buffer(datagram_), from, 0, error);
        if (error) {
            return;  // would block: all read (other errors: nothing to do but try again later)
        }
        accept(datagram_.data(), size, from, now);
    }
}

void RtpSource::accept(const uint8_t* data, size_t size, const udp::endpoint& from,
                       Clock::time_point now) {
    const RtpParseResult parsed = parseRtp({data, size});
    if (!parsed.packet || parsed.packet->payload.size() > kMaxPayloadBytes) {
        ++malformed_;
        return;
    }
    const RtpHeader& header = parsed.packet->header;
    if (spec_.payloadType && header.payloadType != *spec_.payloadType) {
        ++foreign_;
        return;
    }
    if (locked_ && header.ssrc != ssrc_) {
        if (now - lastFromSender_ < std::chrono::duration<double>(kSenderTimeoutSeconds)) {
            ++foreign_;
            return;
        }
        locked_ = false;  // the sender went quiet: this one takes over
        restartStream();
    }
    if (locked_ && header.payloadType != payloadType_) {
        ++foreign_;
        return;
    }
    if (!locked_) {
        locked_ = true;
        ssrc_ = header.ssrc;
        payloadType_ = header.payloadType;
        senderEndpoint_ = from;
        if (state_ == State::Waiting) {
            state_ = State::Buffering;
        }
    }
    lastFromSender_ = now;
    if (const size_t frames = decoder_->framesIn(parsed.packet->payload); frames > 0) {
        packetFrames_ = frames;
    }
    const double seconds = std::chrono::duration<double>(now.time_since_epoch()).count();
    const auto arrival =
        static_cast<uint32_t>(static_cast<uint64_t>(seconds * spec_.clockRate) & 0xffffffffu);
    const JitterBuffer::Insert result =
        jitter_.insert(header.sequence, header.timestamp, parsed.packet->payload, arrival);
    if (result == JitterBuffer::Insert::Accepted || result == JitterBuffer::Insert::Restarted) {
        noteTimestamp(header, result == JitterBuffer::Insert::Restarted);
    }
    if (result == JitterBuffer::Insert::Restarted && state_ == State::Playing) {
        // The sender jumped far ahead (or back): play from there after filling up again.
        state_ = State::Buffering;
        ++rebuffers_;
        expectingAudio_.store(false, std::memory_order_relaxed);
        decoder_->reset();
    }
}

void RtpSource::noteTimestamp(const RtpHeader& header, bool restarted) {
    // Only packets that move the stream forward: a reordered one says nothing new about the
    // sender's clock, and a jump restarts the measurement.
    const auto ahead = static_cast<uint16_t>(header.sequence - lastSequence_);
    if (!timestampKnown_ || restarted) {
        clockDrift_.reset(streamRate_, spec_.clockRate);
        extendedTimestamp_ = 0.0;
        timestampKnown_ = true;
    } else if (ahead == 0 || ahead >= 0x8000) {
        return;
    } else {
        extendedTimestamp_ += static_cast<int32_t>(header.timestamp - lastTimestamp_);
    }
    lastSequence_ = header.sequence;
    lastTimestamp_ = header.timestamp;
    if (state_ != State::Playing) {
        return;  // the device's frames do not advance yet, or the stream is not taken from
    }
    clockDrift_.add(static_cast<double>(deviceFrames_.load(std::memory_order_relaxed)),
                    extendedTimestamp_);
}

double RtpSource::bufferedSeconds() const {
    const double held = static_cast<double>(jitter_.depth() * turnFrames()) / spec_.clockRate;
    return held + static_cast<double>(ring_->availableFrames()) / streamRate_;
}

size_t RtpSource::turnFrames() const {
    return packetFrames_ != 0 ? packetFrames_ : decoder_->turnFrames();
}

void RtpSource::playOut(double dtSeconds) {
    if (blockFrames_.load(std::memory_order_relaxed) != followedBlock_) {
        followBlockSize();
    }
    // An underrun while playing: the buffer was too small for this network (or this machine).
    const uint64_t underruns = underrunFrames_.load(std::memory_order_relaxed);
    if (underruns != underrunsSeen_) {
        underrunsSeen_ = underruns;
        const double step = static_cast<double>(turnFrames()) / spec_.clockRate;
        const double most = spec_.maxLatency() / 1000.0;
        targetSeconds_ = std::min(targetSeconds_ + step, most);
        drift_.setTarget(std::min(drift_.target() + step, most));
    }
    if (state_ == State::Buffering) {
        // Until the audio thread runs, nothing is taken: a start before it would see the
        // buffer grow by however long the stream took to begin.
        if (bufferedSeconds() < targetSeconds_ || followedBlock_ == 0) {
            return;
        }
        // A burst at the start (a sender's first packets often come together) would hold the
        // latency above the target for as long as the drift steering takes to drain it: playout
        // starts from the packets that just fill the target instead.
        const double turn = static_cast<double>(turnFrames()) / spec_.clockRate;
        while (jitter_.depth() > 1 && bufferedSeconds() - turn >= targetSeconds_) {
            jitter_.next();
        }
        state_ = State::Playing;
        drift_.reset(targetSeconds_, targetSeconds_);
        settlingSeconds_ = kSettleSeconds;
        settleSum_ = 0.0;
        settleTime_ = 0.0;
        soxr_set_io_ratio(resampler_, nominalRatio_, 0);
        expectingAudio_.store(true, std::memory_order_relaxed);
    }
    if (state_ != State::Playing) {
        return;
    }
    // Far more held than wanted: the audio device stalled (an xrun that lost it a stretch of
    // time) or this thread did, and packets piled up. Steering at 1000 ppm would take a minute per
    // 60 ms; the stall has already broken the sound, so turns are dropped to get back at once.
    // Only once settled: the steering's level must be the held one.
    const double held = settlingSeconds_ > 0.0 ? targetSeconds_ : drift_.target();
    if (drift_.smoothedLevel() > held + kCatchUpSeconds &&
        bufferedSeconds() > held + kCatchUpSeconds) {
        while (bufferedSeconds() > held && jitter_.depth() > 0) {
            jitter_.next();
            ++trimmed_;
        }
        drift_.followLevel(bufferedSeconds());
    }
    while (ring_->availableFrames() < lowWaterFrames_) {
        const JitterBuffer::Next turn = jitter_.next();
        size_t frames = 0;
        if (turn.turn == JitterBuffer::Turn::Packet) {
            frames = decoder_->decode(turn.payload, decoded_.data());
            if (frames == 0) {
                ++malformed_;
                frames = decoder_->conceal({}, decoded_.data());
                ++concealed_;
            }
            if (starvedTurns_ > 0) {
                // The stream came back after a starved stretch: the network needs that much
                // more buffer, so the level held rises by it (within the maximum).
                const double starved =
                    static_cast<double>(starvedTurns_ * turnFrames()) / spec_.clockRate;
                drift_.setTarget(std::min(drift_.target() + starved, spec_.maxLatency() / 1000.0));
                quietSeconds_ = 0.0;
                starvedTurns_ = 0;
            }
        } else if (turn.turn == JitterBuffer::Turn::Missing) {
            frames = decoder_->conceal(jitter_.peek(), decoded_.data());
            ++concealed_;
        } else {
            if (ring_->availableFrames() >= dryFrames_) {
                break;  // the next packet may still come in time
            }
            // Nothing is here and the ring is about to run dry: concealment fills in, and the
            // turn waits (a packet that is only late still plays, later: the latency grows by what
            // was concealed, which is what a jitter buffer must do for a network this uneven).
            const double turn = static_cast<double>(turnFrames()) / spec_.clockRate;
            if (++starvedTurns_ * turn > kStarvedSeconds) {
                restartStream();  // the sender paused or went away: fill up again when it is back
                return;
            }
            frames = decoder_->conceal({}, decoded_.data());
            ++concealed_;
        }
        push(decoded_.data(), frames);
    }
    if (settlingSeconds_ > 0.0) {
        // The mean over the second half: the first holds the start's burst and the first pulls.
        settlingSeconds_ -= dtSeconds;
        if (settlingSeconds_ < kSettleSeconds / 2) {
            settleSum_ += bufferedSeconds() * dtSeconds;
            settleTime_ += dtSeconds;
        }
        if (settlingSeconds_ <= 0.0 && settleTime_ > 0.0) {
            const double level = settleSum_ / settleTime_;
            drift_.reset(level, level);
            baseTargetSeconds_ = level;
            quietSeconds_ = 0.0;
        }
        return;
    }
    // Raised by starvation, the level held comes back down slowly (well inside the steering's
    // bound) once the network has been calm for a while, but never below what was asked for.
    quietSeconds_ += dtSeconds;
    if (quietSeconds_ > kCalmSeconds && drift_.target() > baseTargetSeconds_) {
        drift_.setTarget(std::max(baseTargetSeconds_, drift_.target() - kTargetDecay * dtSeconds));
    }
    const double correction = drift_.update(bufferedSeconds(), dtSeconds);
    // Moved to over a few milliseconds of output: libsoxr glides, so the pitch never steps.
    soxr_set_io_ratio(resampler_, nominalRatio_ * (1.0 + correction),
                      static_cast<size_t>(0.005 * streamRate_));
}

void RtpSource::push(const float* interleaved, size_t frames) {
    const AudioBlock out = resampled_.block();
    // No `idone`: libsoxr takes all the input (what it cannot turn out yet, it keeps).
    size_t written = 0;
    soxr_process(resampler_, interleaved, frames, nullptr, const_cast<float**>(out.channels()),
                 out.frameCount(), &written);
    if (written > 0) {
        ring_->push(resampled_.block(static_cast<uint32_t>(written)));
    }
}

void RtpSource::publish() {
    const JitterBufferStats& s = jitter_.stats();
    RtpReceiverStats out;
    out.playing = state_ == State::Playing;
    if (locked_) {
        out.sender =
            senderEndpoint_.address().to_string() + ":" + std::to_string(senderEndpoint_.port());
        out.ssrc = ssrc_;
    }
    out.packets = carried_.received + s.received;
    out.lost = carried_.lost + s.lost;
    out.late = carried_.late + s.late;
    out.reordered = carried_.reordered + s.reordered;
    out.duplicates = carried_.duplicates + s.duplicates;
    out.concealed = concealed_;
    out.malformed = malformed_;
    out.foreign = foreign_;
    out.trimmed = trimmed_;
    out.underrunFrames = underrunFrames_.load(std::memory_order_relaxed);
    out.rebuffers = rebuffers_;
    out.jitterMs = 1000.0 * s.jitter / spec_.clockRate;
    const bool steering = state_ == State::Playing && settlingSeconds_ <= 0.0;
    out.bufferMs = 1000.0 * (steering ? drift_.smoothedLevel() : bufferedSeconds());
    out.targetMs = 1000.0 * (state_ == State::Playing ? drift_.target() : targetSeconds_);
    out.driftPpm = clockDrift_.driftPpm();
    std::lock_guard lock(statsMutex_);
    published_ = out;
}

RtpReceiverStats RtpSource::stats() const {
    std::lock_guard lock(statsMutex_);
    return published_;
}

}  // namespace liverack::core
