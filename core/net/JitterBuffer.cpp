#include "core/net/JitterBuffer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace liverack::core {

JitterBuffer::JitterBuffer(size_t slots, size_t maxPayload)
    : slots_(std::max<size_t>(1, slots)), maxPayload_(maxPayload) {
    for (auto& slot : slots_) {
        slot.payload.resize(maxPayload_);
    }
}

// The extended sequence number nearest to the latest accepted one (RFC 3550 Appendix A.1): a
// 16-bit number is taken as the one within half the sequence space of it.
uint64_t JitterBuffer::extend(uint16_t sequence) const {
    const uint64_t base = highest_ & ~uint64_t{0xffff};
    uint64_t candidate = base | sequence;
    if (candidate + 0x8000 < highest_) {
        candidate += 0x10000;
    } else if (candidate > highest_ + 0x8000) {
        candidate -= 0x10000;  // highest_ starts at 2^32, so this never goes below 0
    }
    return candidate;
}

JitterBuffer::Insert JitterBuffer::insert(uint16_t sequence, uint32_t timestamp,
                                          std::span<const uint8_t> payload, uint32_t arrival) {
    // §6.4.1 and Appendix A.8: D is the change in transit time; J moves 1/16 of the way to |D|.
    const int64_t transit = static_cast<int64_t>(arrival) - static_cast<int64_t>(timestamp);
    const auto updateJitter = [&] {
        if (transitKnown_) {
            // Both on 32-bit clocks: the difference wraps like them.
            const auto d = static_cast<int32_t>(static_cast<uint32_t>(transit - lastTransit_));
            stats_.jitter += (std::abs(static_cast<double>(d)) - stats_.jitter) / 16.0;
        }
        lastTransit_ = transit;
        transitKnown_ = true;
    };

    Insert result = Insert::Accepted;
    uint64_t extended = 0;
    if (!started_) {
        // The first packet starts the stream; the origin is lifted so earlier numbers extend.
        extended = (uint64_t{1} << 32) | sequence;
        nextTurn_ = extended;
        highest_ = extended;
        started_ = true;
    } else {
        extended = extend(sequence);
        const bool farBehind = extended + slots_.size() < nextTurn_;
        if (extended < nextTurn_ && !farBehind) {
            // Its turn is over: played (a duplicate) or given up as missing (late). A copy of a
            // packet whose slot was reused since is counted late.
            const Slot& slot = slots_[extended % slots_.size()];
            const bool played = slot.sequence == extended;
            ++(played ? stats_.duplicates : stats_.late);
            return played ? Insert::Duplicate : Insert::Late;
        }
        if (farBehind || extended >= nextTurn_ + slots_.size()) {
            // Further away than the buffer reaches: the sender jumped (a restart); the packets
            // held are given up and playout starts here.
            ++stats_.tooFar;
            for (auto& slot : slots_) {
                slot.held = false;
            }
            nextTurn_ = extended;
            highest_ = extended;
            result = Insert::Restarted;
        }
    }
    Slot& slot = slots_[extended % slots_.size()];
    if (slot.held && slot.sequence == extended) {
        ++stats_.duplicates;
        return Insert::Duplicate;
    }
    updateJitter();
    slot.held = true;
    slot.sequence = extended;
    slot.timestamp = timestamp;
    slot.size = std::min(payload.size(), maxPayload_);
    std::memcpy(slot.payload.data(), payload.data(), slot.size);
    ++stats_.received;
    if (extended < highest_) {
        ++stats_.reordered;
    }
    highest_ = std::max(highest_, extended);
    return result;
}

JitterBuffer::Next JitterBuffer::next() {
    Next out;
    if (!started_ || nextTurn_ > highest_) {
        return out;  // Empty
    }
    Slot& slot = slots_[nextTurn_ % slots_.size()];
    if (slot.held && slot.sequence == nextTurn_) {
        slot.held = false;  // kept as `sequence`, so a copy arriving later is a duplicate
        out.turn = Turn::Packet;
        out.timestamp = slot.timestamp;
        out.payload = std::span<const uint8_t>(slot.payload.data(), slot.size);
    } else {
        ++stats_.lost;
        out.turn = Turn::Missing;
        // The slot may hold an older packet's number; mark this turn as given up, not played.
        slot.held = false;
        slot.sequence = UINT64_MAX;
    }
    ++nextTurn_;
    return out;
}

std::span<const uint8_t> JitterBuffer::peek() const {
    if (!started_ || nextTurn_ > highest_) {
        return {};
    }
    const Slot& slot = slots_[nextTurn_ % slots_.size()];
    if (!slot.held || slot.sequence != nextTurn_) {
        return {};
    }
    return {slot.payload.data(), slot.size};
}

size_t JitterBuffer::depth() const {
    return started_ && highest_ >= nextTurn_ ? static_cast<size_t>(highest_ - nextTurn_ + 1) : 0;
}

void JitterBuffer::reset() {
    for (auto& slot : slots_) {
        slot.held = false;
        slot.sequence = 0;
    }
    started_ = false;
    transitKnown_ = false;
    nextTurn_ = 0;
    highest_ = 0;
}

}  // namespace liverack::core
