// A non-owning view of non-interleaved float audio: channels × frames, processed in place.
#pragma once

#include <algorithm>
#include <cstdint>

namespace liverack::core {

class AudioBlock {
public:
    AudioBlock() = default;
    AudioBlock(float* const* channels, uint32_t channelCount, uint32_t frameCount) noexcept
        : channels_(channels), channelCount_(channelCount), frameCount_(frameCount) {}

    uint32_t channelCount() const noexcept { return channelCount_; }
    uint32_t frameCount() const noexcept { return frameCount_; }
    float* channel(uint32_t index) const noexcept { return channels_[index]; }
    float* const* channels() const noexcept { return channels_; }

    void clear() const noexcept {
        for (uint32_t c = 0; c < channelCount_; ++c) {
            std::fill_n(channels_[c], frameCount_, 0.0f);
        }
    }

    void copyFrom(const AudioBlock& source) const noexcept {
        const uint32_t frames = std::min(frameCount_, source.frameCount_);
        for (uint32_t c = 0; c < channelCount_ && c < source.channelCount_; ++c) {
            std::copy_n(source.channels_[c], frames, channels_[c]);
        }
    }

private:
    float* const* channels_ = nullptr;
    uint32_t channelCount_ = 0;
    uint32_t frameCount_ = 0;
};

}  // namespace liverack::core
