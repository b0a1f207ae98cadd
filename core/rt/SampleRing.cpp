#include "core/rt/SampleRing.h"

#include <algorithm>

namespace liverack::core {

SampleRing::SampleRing(uint32_t channels, size_t capacityFrames) : capacity_(capacityFrames) {
    queues_.reserve(channels);
    for (uint32_t c = 0; c < channels; ++c) {
        queues_.push_back(std::make_unique<Queue>(capacityFrames));
    }
}

bool SampleRing::push(const AudioBlock& block) noexcept {
    const size_t frames = block.frameCount();
    if (block.channelCount() == 0) {
        return false;
    }
    for (const auto& q : queues_) {
        if (q->write_available() < frames) {
            dropped_.fetch_add(frames, std::memory_order_relaxed);
            return false;
        }
    }
    for (uint32_t c = 0; c < queues_.size(); ++c) {
        // A mono block into a stereo ring repeats its last channel rather than leave a hole.
        const uint32_t source = std::min(c, block.channelCount() - 1);
        queues_[c]->push(block.channel(source), frames);
    }
    pushed_.fetch_add(frames, std::memory_order_relaxed);
    return true;
}

size_t SampleRing::availableFrames() const noexcept {
    size_t available = capacity_;
    for (const auto& q : queues_) {
        available = std::min(available, q->read_available());
    }
    return queues_.empty() ? 0 : available;
}

size_t SampleRing::pop(float* const* dest, size_t maxFrames) noexcept {
    // The producer fills channel 0 first, so the minimum over channels is complete everywhere.
    const size_t frames = std::min(maxFrames, availableFrames());
    for (uint32_t c = 0; c < queues_.size(); ++c) {
        queues_[c]->pop(dest[c], frames);
    }
    return frames;
}

size_t SampleRing::discard() noexcept {
    // Exactly the same count on every channel, so the channels stay aligned.
    const size_t frames = availableFrames();
    float sink = 0.0f;
    for (auto& q : queues_) {
        for (size_t i = 0; i < frames; ++i) {
            q->pop(sink);
        }
    }
    return frames;
}

}  // namespace liverack::core
