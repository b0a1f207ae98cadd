// A "latest value wins" cell for fixed-size snapshots (triple buffer): one writer publishes whole
// values, one reader always gets the newest complete one. Neither side waits, locks or allocates.
#pragma once

#include <atomic>
#include <cstdint>
#include <type_traits>

namespace liverack::core {

template <typename T>
class LatestValue {
    static_assert(std::is_trivially_copyable_v<T> || std::is_copy_assignable_v<T>);

public:
    // Writer: fill the slot returned by writeSlot(), then publish().
    T& writeSlot() noexcept { return slots_[writeIndex_]; }
    void publish() noexcept {
        writeIndex_ =
            middle_.exchange(writeIndex_ | kFresh, std::memory_order_acq_rel) & kIndexMask;
    }
    void publish(const T& value) noexcept {
        writeSlot() = value;
        publish();
    }

    // Reader: true if a value newer than the last one read was taken into readSlot().
    bool update() noexcept {
        if ((middle_.load(std::memory_order_acquire) & kFresh) == 0) {
            return false;
        }
        readIndex_ = middle_.exchange(readIndex_, std::memory_order_acq_rel) & kIndexMask;
        return true;
    }
    const T& readSlot() const noexcept { return slots_[readIndex_]; }
    // Convenience: update, then the newest value (the previous one if nothing new arrived).
    const T& read() noexcept {
        update();
        return readSlot();
    }

private:
    static constexpr uint8_t kIndexMask = 0x3;
    static constexpr uint8_t kFresh = 0x4;

    T slots_[3]{};
    uint8_t writeIndex_ = 0;          // writer only
    uint8_t readIndex_ = 1;           // reader only
    std::atomic<uint8_t> middle_{2};  // shared: index of the spare slot, plus the fresh bit
};

}  // namespace liverack::core
