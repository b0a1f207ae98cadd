// Turns the payloads of one RTP stream back into audio, turn by turn as the jitter buffer hands
// them out, and fills the turns that never came: Opus with its own loss concealment, or with the
// in-band FEC the next packet carries when it is already here (RFC 7587 §3.3); linear PCM with a
// short fade to silence and back, so a gap never clicks. Interleaved floats at the stream's clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/net/RtpSendTarget.h"
#include "core/util/Result.h"

struct OpusDecoder;

namespace liverack::core {

class RtpPayloadDecoder {
public:
    // Opus packets hold up to 120 ms.
    static constexpr size_t kMaxFramesPerTurn = 5760;
    // PCM: the fade out at a gap and back in after it. Output runs this much behind the packets.
    static constexpr double kPcmFadeMs = 2.5;

    static Result<std::unique_ptr<RtpPayloadDecoder>> create(RtpCodec codec, unsigned clockRate,
                                                             unsigned channels);
    ~RtpPayloadDecoder();
    RtpPayloadDecoder(const RtpPayloadDecoder&) = delete;
    RtpPayloadDecoder& operator=(const RtpPayloadDecoder&) = delete;

    unsigned channels() const noexcept { return channels_; }
    // The frames of the last packet decoded: the length of a turn concealed after it.
    size_t turnFrames() const noexcept { return turnFrames_; }

    // The frames a packet holds, without decoding it; 0 when it cannot be told.
    size_t framesIn(std::span<const uint8_t> payload) const noexcept;
    // A packet's audio into `out` (room for kMaxFramesPerTurn frames); the frames written, or 0
    // when the payload is not one this codec can decode (counted by the caller as malformed).
    size_t decode(std::span<const uint8_t> payload, float* out) noexcept;
    // A turn that never came, turnFrames() long; `next` is the following packet when it is held
    // (Opus takes the lost audio from its FEC), empty otherwise.
    size_t conceal(std::span<const uint8_t> next, float* out) noexcept;
    // A new stream: no memory of the last one.
    void reset() noexcept;

private:
    RtpPayloadDecoder(RtpCodec codec, unsigned clockRate, unsigned channels);
    size_t decodePcm(std::span<const uint8_t> payload, float* out) noexcept;
    size_t concealPcm(float* out) noexcept;

    RtpCodec codec_;
    unsigned clockRate_;
    unsigned channels_;
    OpusDecoder* opus_ = nullptr;
    size_t turnFrames_;
    // PCM: the last fadeFrames_ frames not yet handed out, and whether the output is silent.
    size_t fadeFrames_;
    std::vector<float> held_;
    std::vector<float> scratch_;
    bool silent_ = false;    // concealed since the last packet
    size_t fadeInLeft_ = 0;  // frames of the fade back in still to apply
};

}  // namespace liverack::core
