// Owned non-interleaved float storage that hands out AudioBlock views; allocates only on resize.
#pragma once

#include <cstdint>
#include <vector>

#include "core/dsp/AudioBlock.h"

namespace liverack::core {

class AudioBuffer {
public:
    AudioBuffer() = default;
    AudioBuffer(uint32_t channels, uint32_t frames) { resize(channels, frames); }

    void resize(uint32_t channels, uint32_t frames) {
        storage_.assign(static_cast<size_t>(channels) * frames, 0.0f);
        pointers_.resize(channels);
        for (uint32_t c = 0; c < channels; ++c) {
            pointers_[c] = storage_.data() + static_cast<size_t>(c) * frames;
        }
        channels_ = channels;
        frames_ = frames;
    }

    uint32_t channelCount() const noexcept { return channels_; }
    uint32_t frameCount() const noexcept { return frames_; }
    float* channel(uint32_t index) noexcept { return pointers_[index]; }
    const float* channel(uint32_t index) const noexcept { return pointers_[index]; }

    // A view of the first `frames` frames (at most the allocated size).
    AudioBlock block(uint32_t frames) noexcept {
        return AudioBlock(pointers_.data(), channels_, frames < frames_ ? frames : frames_);
    }
    AudioBlock block() noexcept { return block(frames_); }

private:
    std::vector<float> storage_;
    std::vector<float*> pointers_;
    uint32_t channels_ = 0;
    uint32_t frames_ = 0;
};

}  // namespace liverack::core
