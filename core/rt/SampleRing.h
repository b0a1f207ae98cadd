// Lock-free single-producer single-consumer ring of multichannel float audio, one
// boost::lockfree::spsc_queue per channel. The producer (audio thread) pushes whole blocks or
// nothing: when the consumer falls behind, the block is dropped and counted, never waited for.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/lockfree/spsc_queue.hpp>

#include "core/dsp/AudioBlock.h"

namespace liverack::core {

class SampleRing {
public:
    SampleRing(uint32_t channels, size_t capacityFrames);

    uint32_t channelCount() const noexcept { return static_cast<uint32_t>(queues_.size()); }
    size_t capacityFrames() const noexcept { return capacity_; }

    // Producer side. Returns false (and counts the frames as dropped) when the block does not fit.
    // Channels of `block` beyond the ring's are ignored; missing ones repeat its last channel.
    bool push(const AudioBlock& block) noexcept;

    // Consumer side: frames that can be popped on every channel.
    size_t availableFrames() const noexcept;
    // Pops up to maxFrames frames into dest[channel][frame]; returns the frames popped.
    size_t pop(float* const* dest, size_t maxFrames) noexcept;
    // Discards everything currently readable.
    size_t discard() noexcept;

    uint64_t droppedFrames() const noexcept { return dropped_.load(std::memory_order_relaxed); }
    uint64_t pushedFrames() const noexcept { return pushed_.load(std::memory_order_relaxed); }

private:
    using Queue = boost::lockfree::spsc_queue<float>;
    std::vector<std::unique_ptr<Queue>> queues_;
    size_t capacity_;
    std::atomic<uint64_t> dropped_{0};
    std::atomic<uint64_t> pushed_{0};
};

}  // namespace liverack::core
