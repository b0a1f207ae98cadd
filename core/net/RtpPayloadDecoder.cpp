#include "core/net/RtpPayloadDecoder.h"

#include <opus/opus.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/net/LinearPcm.h"

namespace liverack::core {

RtpPayloadDecoder::RtpPayloadDecoder(RtpCodec codec, unsigned clockRate, unsigned channels)
    : codec_(codec),
      clockRate_(clockRate),
      channels_(channels),
      turnFrames_(clockRate / 100),  // until a packet says otherwise: 10 ms
      fadeFrames_(std::max<size_t>(1, static_cast<size_t>(clockRate * kPcmFadeMs / 1000.0))),
      held_(fadeFrames_ * channels, 0.0f),
      scratch_(kMaxFramesPerTurn * channels, 0.0f) {}

RtpPayloadDecoder::~RtpPayloadDecoder() {
    if (opus_ != nullptr) {
        opus_decoder_destroy(opus_);
    }
}

Result<std::unique_ptr<RtpPayloadDecoder>> RtpPayloadDecoder::create(RtpCodec codec,
                                                                     unsigned clockRate,
                                                                     unsigned channels) {
    std::unique_ptr<RtpPayloadDecoder> decoder(new RtpPayloadDecoder(codec, clockRate, channels));
    if (codec == RtpCodec::Opus) {
        int error = OPUS_OK;
        decoder->opus_ = opus_decoder_create(48000, static_cast<int>(channels), &error);
        if (error != OPUS_OK || decoder->opus_ == nullptr) {
            return Error{std::string("cannot start the Opus decoder: ") + opus_strerror(error)};
        }
    }
    return decoder;
}

void RtpPayloadDecoder::reset() noexcept {
    if (opus_ != nullptr) {
        opus_decoder_ctl(opus_, OPUS_RESET_STATE);
    }
    std::fill(held_.begin(), held_.end(), 0.0f);
    silent_ = false;
    fadeInLeft_ = 0;
    turnFrames_ = clockRate_ / 100;
}

size_t RtpPayloadDecoder::framesIn(std::span<const uint8_t> payload) const noexcept {
    if (payload.empty()) {
        return 0;
    }
    if (codec_ == RtpCodec::Opus) {
        const int frames = opus_packet_get_nb_samples(
            payload.data(), static_cast<opus_int32>(payload.size()), 48000);
        return frames > 0 ? static_cast<size_t>(frames) : 0;
    }
    const size_t frameBytes = (codec_ == RtpCodec::L24 ? 3u : 2u) * channels_;
    return payload.size() / frameBytes;
}

size_t RtpPayloadDecoder::decode(std::span<const uint8_t> payload, float* out) noexcept {
    if (codec_ != RtpCodec::Opus) {
        return decodePcm(payload, out);
    }
    if (payload.empty()) {
        return 0;
    }
    const int frames =
        opus_decode_float(opus_, payload.data(), static_cast<opus_int32>(payload.size()), out,
                          static_cast<int>(kMaxFramesPerTurn), 0);
    if (frames <= 0) {
        return 0;
    }
    turnFrames_ = static_cast<size_t>(frames);
    return turnFrames_;
}

size_t RtpPayloadDecoder::conceal(std::span<const uint8_t> next, float* out) noexcept {
    if (codec_ != RtpCodec::Opus) {
        return concealPcm(out);
    }
    // Opus conceals in whole 2.5 ms steps; the FEC decode must ask for exactly the lost length.
    const int frames = static_cast<int>(turnFrames_);
    int got = 0;
    if (!next.empty()) {
        got = opus_decode_float(opus_, next.data(), static_cast<opus_int32>(next.size()), out,
                                frames, 1);
    }
    if (got <= 0) {
        got = opus_decode_float(opus_, nullptr, 0, out, frames, 0);
    }
    if (got <= 0) {
        std::fill_n(out, turnFrames_ * channels_, 0.0f);
        return turnFrames_;
    }
    return static_cast<size_t>(got);
}

size_t RtpPayloadDecoder::decodePcm(std::span<const uint8_t> payload, float* out) noexcept {
    const PcmWidth width = codec_ == RtpCodec::L24 ? PcmWidth::L24 : PcmWidth::L16;
    const size_t frameBytes = static_cast<size_t>(width) * channels_;
    const size_t frames = std::min(payload.size() / frameBytes, kMaxFramesPerTurn);
    if (frames == 0 || payload.size() % frameBytes != 0) {
        return 0;
    }
    float* decoded = scratch_.data();
    decodeLinearPcm(payload.data(), frames * channels_, width, decoded);
    if (fadeInLeft_ > 0) {
        // Back from a gap: the audio comes in over the fade length (across packets when they
        // are shorter than it).
        const size_t done = fadeFrames_ - fadeInLeft_;
        const size_t ramp = std::min(frames, fadeInLeft_);
        for (size_t f = 0; f < ramp; ++f) {
            const float gain =
                static_cast<float>(done + f + 1) / static_cast<float>(fadeFrames_ + 1);
            for (unsigned c = 0; c < channels_; ++c) {
                decoded[f * channels_ + c] *= gain;
            }
        }
        fadeInLeft_ -= ramp;
    }
    silent_ = false;
    // Out: what was held back, then this packet but its last fadeFrames_ (held for next time).
    const size_t held = fadeFrames_ * channels_;
    const size_t samples = frames * channels_;
    if (samples >= held) {
        std::memcpy(out, held_.data(), held * sizeof(float));
        std::memcpy(out + held, decoded, (samples - held) * sizeof(float));
        std::memcpy(held_.data(), decoded + samples - held, held * sizeof(float));
    } else {
        // A packet shorter than the fade: the held frames move along by its length.
        std::memcpy(out, held_.data(), samples * sizeof(float));
        std::memmove(held_.data(), held_.data() + samples, (held - samples) * sizeof(float));
        std::memcpy(held_.data() + held - samples, decoded, samples * sizeof(float));
    }
    turnFrames_ = frames;
    return frames;
}

size_t RtpPayloadDecoder::concealPcm(float* out) noexcept {
    const size_t frames = turnFrames_;
    const size_t samples = frames * channels_;
    const size_t held = held_.size();
    if (!silent_) {
        // What was held back fades out over the fade length; silence follows it.
        for (size_t f = 0; f < fadeFrames_; ++f) {
            const float gain =
                1.0f - static_cast<float>(f + 1) / static_cast<float>(fadeFrames_ + 1);
            for (unsigned c = 0; c < channels_; ++c) {
                held_[f * channels_ + c] *= gain;
            }
        }
        silent_ = true;
    }
    fadeInLeft_ = fadeFrames_;
    // Out: the front of what is held (a turn shorter than the fade takes only part of it).
    const size_t taken = std::min(samples, held);
    std::memcpy(out, held_.data(), taken * sizeof(float));
    std::fill(out + taken, out + samples, 0.0f);
    std::memmove(held_.data(), held_.data() + taken, (held - taken) * sizeof(float));
    std::fill(held_.begin() + static_cast<std::ptrdiff_t>(held - taken), held_.end(), 0.0f);
    return frames;
}

}  // namespace liverack::core
