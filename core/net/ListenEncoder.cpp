#include "core/net/ListenEncoder.h"

#include <opus/opus.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace liverack::core {
namespace {

constexpr uint32_t kOpusRate = 48000;
constexpr size_t kMaxOpusPacketBytes = 1500;

void putU32(std::string& out, size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        out[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
    }
}

void putF64(std::string& out, size_t at, double value) {
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 8; ++i) {
        out[at + i] = static_cast<char>((bits >> (8 * i)) & 0xff);
    }
}

}  // namespace

ListenEncoder::ListenEncoder(ListenCodec codec, double streamRate, uint32_t streamChannels)
    : codec_(codec),
      streamRate_(streamRate),
      streamChannels_(std::max(1u, streamChannels)),
      channels_(std::min(std::max(1u, streamChannels), 2u)),
      rate_(codec == ListenCodec::Opus ? kOpusRate
                                       : static_cast<uint32_t>(std::lround(streamRate))),
      frameSamples_(static_cast<uint32_t>(std::lround(kFrameMs * rate_ / 1000.0))) {}

ListenEncoder::~ListenEncoder() {
    if (encoder_ != nullptr) {
        opus_encoder_destroy(encoder_);
    }
    if (resampler_ != nullptr) {
        soxr_delete(resampler_);
    }
}

Result<std::unique_ptr<ListenEncoder>> ListenEncoder::open(ListenCodec codec, double streamRate,
                                                           uint32_t streamChannels) {
    std::unique_ptr<ListenEncoder> encoder(new ListenEncoder(codec, streamRate, streamChannels));
    if (codec == ListenCodec::Opus) {
        int status = OPUS_OK;
        encoder->encoder_ = opus_encoder_create(static_cast<opus_int32>(kOpusRate),
                                                static_cast<int>(encoder->channels_),
                                                OPUS_APPLICATION_AUDIO, &status);
        if (status != OPUS_OK || encoder->encoder_ == nullptr) {
            return Error{std::string("cannot start the Opus encoder: ") + opus_strerror(status)};
        }
        // Transparent for monitoring: 96 kbit/s a channel.
        opus_encoder_ctl(encoder->encoder_,
                         OPUS_SET_BITRATE(static_cast<opus_int32>(96000 * encoder->channels_)));
        if (std::lround(streamRate) != kOpusRate) {
            soxr_error_t error = nullptr;
            const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
            const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
            encoder->resampler_ = soxr_create(streamRate, kOpusRate, encoder->channels_, &error,
                                              &io, &quality, nullptr);
            if (error != nullptr) {
                return Error{std::string("cannot resample for Opus: ") + error};
            }
        }
        encoder->payload_.resize(kMaxOpusPacketBytes);
    } else {
        encoder->payload_.resize(size_t(encoder->frameSamples_) * encoder->channels_ * 2);
    }
    return encoder;
}

void ListenEncoder::push(const float* const* channels, size_t frames, double firstSampleWallMs,
                         std::vector<std::shared_ptr<const std::string>>& out) {
    interleaved_.resize(frames * channels_);
    for (size_t n = 0; n < frames; ++n) {
        for (uint32_t c = 0; c < channels_; ++c) {
            interleaved_[n * channels_ + c] = channels[std::min(c, streamChannels_ - 1)][n];
        }
    }
    const float* in = interleaved_.data();
    size_t available = frames;
    if (resampler_ != nullptr) {
        resampled_.resize((frames * kOpusRate / static_cast<size_t>(streamRate_) + 64) * channels_);
        size_t produced = 0;
        soxr_process(resampler_, interleaved_.data(), frames, nullptr, resampled_.data(),
                     resampled_.size() / channels_, &produced);
        in = resampled_.data();
        available = produced;
    }
    // The pending audio began that long before this chunk did.
    pendingStartMs_ = firstSampleWallMs - 1000.0 * double(pending_.size() / channels_) / rate_;
    pending_.insert(pending_.end(), in, in + available * channels_);

    const size_t messageFloats = size_t(frameSamples_) * channels_;
    size_t offset = 0;
    while (pending_.size() - offset >= messageFloats) {
        const float* audio = pending_.data() + offset;
        size_t bytes = 0;
        if (codec_ == ListenCodec::Opus) {
            const opus_int32 encoded =
                opus_encode_float(encoder_, audio, static_cast<int>(frameSamples_), payload_.data(),
                                  static_cast<opus_int32>(payload_.size()));
            bytes = encoded > 0 ? static_cast<size_t>(encoded) : 0;
        } else {
            for (size_t i = 0; i < messageFloats; ++i) {
                const float clamped = std::clamp(audio[i], -1.0f, 1.0f);
                const auto sample = static_cast<int16_t>(std::lround(clamped * 32767.0f));
                payload_[2 * i] = static_cast<uint8_t>(sample & 0xff);
                payload_[2 * i + 1] = static_cast<uint8_t>((sample >> 8) & 0xff);
            }
            bytes = messageFloats * 2;
        }
        const double startMs =
            pendingStartMs_ + 1000.0 * double(offset / channels_) / double(rate_);
        offset += messageFloats;
        const uint32_t sequence = sequence_++;
        if (bytes == 0) {
            continue;  // the encoder failed: a sequence gap, which the page counts as a dropout
        }
        auto message = std::make_shared<std::string>(kHeaderBytes + bytes, '\0');
        (*message)[0] = static_cast<char>(kAudioKind);
        (*message)[1] = static_cast<char>(codec_);
        (*message)[2] = static_cast<char>(channels_);
        putU32(*message, 4, rate_);
        putU32(*message, 8, frameSamples_);
        putU32(*message, 12, sequence);
        putF64(*message, 16, startMs);
        std::memcpy(message->data() + kHeaderBytes, payload_.data(), bytes);
        out.push_back(std::move(message));
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(offset));
    pendingStartMs_ += 1000.0 * double(offset / channels_) / rate_;
}

}  // namespace liverack::core
