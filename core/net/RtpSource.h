// An RTP stream as the engine's input (--source rtp://@:PORT or sdp:FILE). A receiver thread owns
// the socket: it checks each datagram (RTP version, one sender's SSRC, the payload type), puts
// packets in order in a jitter buffer, decodes them turn by turn (concealing the ones lost),
// resamples to the stream's rate with a variable ratio steered to hold the buffer at its target
// (clock drift compensation), and fills a lock-free ring. The audio thread only copies out of it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "core/dsp/AudioBuffer.h"
#include "core/io/InputSource.h"
#include "core/net/ClockDriftEstimator.h"
#include "core/net/DriftController.h"
#include "core/net/JitterBuffer.h"
#include "core/net/RtpPacket.h"
#include "core/net/RtpPayloadDecoder.h"
#include "core/net/RtpSourceSpec.h"
#include "core/rt/SampleRing.h"
#include "core/util/Result.h"

struct soxr;

namespace liverack::core {

struct RtpReceiverStats {
    bool playing = false;  // a stream is locked and playing out
    std::string sender;    // address:port of the locked sender; empty before the first
    uint32_t ssrc = 0;
    uint64_t packets = 0;  // accepted into the jitter buffer
    uint64_t lost = 0;     // turns that never came in time (concealed)
    uint64_t late = 0;     // came after their turn was given up
    uint64_t reordered = 0;
    uint64_t duplicates = 0;
    uint64_t concealed = 0;       // turns filled by concealment (lost, or the buffer ran dry)
    uint64_t malformed = 0;       // refused by the RTP parser, or a payload the codec cannot read
    uint64_t foreign = 0;         // another SSRC or payload type than the stream's
    uint64_t trimmed = 0;         // turns dropped because the buffer held far more than its target
    uint64_t underrunFrames = 0;  // frames of silence the audio thread played while playing
    uint64_t rebuffers = 0;       // times playout stopped and waited to fill its buffer again
    double jitterMs = 0.0;        // RFC 3550 interarrival jitter
    double bufferMs = 0.0;        // held now (smoothed), jitter buffer and ring together
    double targetMs = 0.0;
    double driftPpm = 0.0;  // how much faster the sender's clock runs than the device's
};

class RtpSource final : public InputSource {
public:
    static constexpr int kPollMilliseconds = 1;
    // The locked sender is replaced by another only after this long without a packet from it.
    static constexpr double kSenderTimeoutSeconds = 1.0;
    // A new stream plays this long at the nominal ratio; then the level it settled at (the target
    // to within a packet: packets and blocks do not line up) is the one held.
    static constexpr double kSettleSeconds = 2.0;

    // Binds the socket now, so a port in use is a sentence before any stream opens.
    static Result<std::unique_ptr<RtpSource>> open(const RtpSourceSpec& spec);
    ~RtpSource() override;
    RtpSource(const RtpSource&) = delete;
    RtpSource& operator=(const RtpSource&) = delete;

    std::string description() const override;
    // Control thread, stream stopped: stops the receiver, sizes the ring and the resampler for
    // the stream and starts the receiver again (waiting for a stream, then buffering it).
    void prepare(const ProcessSpec& spec) override;
    // Audio thread: copies from the ring; silence until a stream plays, or when it runs dry.
    void process(AudioBlock block) noexcept override;
    void reset() noexcept override {}  // a live stream has no start to go back to

    const RtpSourceSpec& spec() const noexcept { return spec_; }
    uint16_t localPort() const noexcept { return localPort_; }
    // Any thread but the audio thread.
    RtpReceiverStats stats() const;

private:
    explicit RtpSource(const RtpSourceSpec& spec);
    Status bind();
    void startReceiver();
    void stopReceiver();
    void receiverLoop();
    void receivePackets(std::chrono::steady_clock::time_point now);
    void accept(const uint8_t* data, size_t size, const boost::asio::ip::udp::endpoint& from,
                std::chrono::steady_clock::time_point now);
    void playOut(double dtSeconds);
    // One turn's audio (interleaved, at the stream's clock) through the resampler into the ring.
    void push(const float* interleaved, size_t frames);
    void restartStream();  // forget the stream's position: a new sender, or a long silence
    void noteTimestamp(const RtpHeader& header, bool restarted);
    double bufferedSeconds() const;
    size_t turnFrames() const;
    void publish();

    RtpSourceSpec spec_;
    boost::asio::io_context io_;
    boost::asio::ip::udp::socket socket_{io_};
    uint16_t localPort_ = 0;

    // Set by prepare().
    double streamRate_ = 0.0;
    uint32_t maxBlockFrames_ = 0;
    std::unique_ptr<SampleRing> ring_;
    soxr* resampler_ = nullptr;
    double nominalRatio_ = 1.0;
    std::unique_ptr<RtpPayloadDecoder> decoder_;
    JitterBuffer jitter_;
    DriftController drift_;
    ClockDriftEstimator clockDrift_;
    uint16_t lastSequence_ = 0;  // of the latest packet in order, for the timestamp's extension
    uint32_t lastTimestamp_ = 0;
    double extendedTimestamp_ = 0.0;
    bool timestampKnown_ = false;
    std::vector<uint8_t> datagram_;
    std::vector<float> decoded_;
    AudioBuffer resampled_;
    // From the blocks the audio thread asks for (the backend may choose any up to the maximum).
    size_t lowWaterFrames_ = 0;  // the ring is topped up to this
    size_t dryFrames_ = 0;       // below this, the next callback may find it empty
    uint32_t followedBlock_ = 0;
    void followBlockSize();

    // Receiver thread only.
    enum class State { Waiting, Buffering, Playing };
    State state_ = State::Waiting;
    bool locked_ = false;
    uint32_t ssrc_ = 0;
    uint8_t payloadType_ = 0;
    boost::asio::ip::udp::endpoint senderEndpoint_;
    std::chrono::steady_clock::time_point lastFromSender_{};
    double targetSeconds_ = 0.0;
    double settlingSeconds_ = 0.0;  // left before the drift steering takes over
    double settleSum_ = 0.0;        // level × time over the settling's second half
    double settleTime_ = 0.0;
    double baseTargetSeconds_ = 0.0;  // the level settled at: the least the target comes back to
    double quietSeconds_ = 0.0;       // since playout last starved
    size_t packetFrames_ = 0;         // of the latest packet: the length of a turn, for the level
    unsigned starvedTurns_ = 0;
    uint64_t underrunsSeen_ = 0;
    uint64_t concealed_ = 0;
    uint64_t malformed_ = 0;
    uint64_t foreign_ = 0;
    uint64_t trimmed_ = 0;
    uint64_t rebuffers_ = 0;
    JitterBufferStats carried_;  // counts of streams before the jitter buffer's last reset

    // Audio thread.
    std::atomic<bool> expectingAudio_{false};
    std::atomic<uint64_t> underrunFrames_{0};
    std::atomic<uint32_t> blockFrames_{0};
    std::atomic<uint64_t> deviceFrames_{0};  // every frame the audio thread asked for: its clock

    std::atomic<bool> quit_{false};
    std::thread thread_;
    mutable std::mutex statsMutex_;  // never taken by the audio thread
    RtpReceiverStats published_;
};

}  // namespace liverack::core
