// Turns one tap's audio into the web monitor's listen messages: 10 ms of audio each, as Opus
// (48 kHz, resampled with libsoxr from any other stream rate) or as 16-bit PCM at the stream's
// rate, each behind a 24-byte header (resources/web/PROTOCOL.md, "Binary audio message"). One
// encoder serves every listener of its tap and codec: the audio is encoded once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/util/Result.h"

struct OpusEncoder;
struct soxr;

namespace liverack::core {

enum class ListenCodec : uint8_t { Pcm16 = 0, Opus = 1 };

class ListenEncoder {
public:
    static constexpr double kFrameMs = 10.0;
    static constexpr size_t kHeaderBytes = 24;
    static constexpr uint8_t kAudioKind = 1;

    // Browsers play two channels at most: a wider stream sends its first two.
    static Result<std::unique_ptr<ListenEncoder>> open(ListenCodec codec, double streamRate,
                                                       uint32_t streamChannels);
    ~ListenEncoder();
    ListenEncoder(const ListenEncoder&) = delete;
    ListenEncoder& operator=(const ListenEncoder&) = delete;

    // `frames` frames of planar audio whose first sample left the audio thread at
    // `firstSampleWallMs` (milliseconds since the Unix epoch). Whole messages are appended to
    // `out`; the rest waits for the next call.
    void push(const float* const* channels, size_t frames, double firstSampleWallMs,
              std::vector<std::shared_ptr<const std::string>>& out);

    ListenCodec codec() const noexcept { return codec_; }
    uint32_t rate() const noexcept { return rate_; }  // of the messages: 48000 for Opus
    uint32_t channels() const noexcept { return channels_; }
    uint32_t frameSamples() const noexcept { return frameSamples_; }

private:
    ListenEncoder(ListenCodec codec, double streamRate, uint32_t streamChannels);

    ListenCodec codec_;
    double streamRate_;
    uint32_t streamChannels_;
    uint32_t channels_;
    uint32_t rate_;
    uint32_t frameSamples_;
    OpusEncoder* encoder_ = nullptr;
    soxr* resampler_ = nullptr;
    std::vector<float> pending_;  // interleaved, at rate(), not yet a whole message
    double pendingStartMs_ = 0.0;
    std::vector<float> interleaved_;
    std::vector<float> resampled_;
    std::vector<uint8_t> payload_;
    uint32_t sequence_ = 0;
};

}  // namespace liverack::core
