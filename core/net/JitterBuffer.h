// Puts received RTP packets back in order for playout (RFC 3550): duplicates and packets whose
// turn has passed are dropped and counted, gaps are handed out as losses for the decoder to
// conceal, 16-bit sequence numbers are extended across wrap-around (Appendix A.1), and the
// interarrival jitter is kept as §6.4.1 defines it. One thread (the receiver's) owns it; the
// slots are allocated once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace liverack::core {

struct JitterBufferStats {
    uint64_t received = 0;    // accepted into the buffer
    uint64_t duplicates = 0;  // a sequence number already held or played
    uint64_t late = 0;        // arrived after its turn was given up (counted lost then)
    uint64_t reordered = 0;   // accepted, but after a packet with a later sequence number
    uint64_t lost = 0;        // turns handed out as missing
    uint64_t tooFar = 0;      // beyond the buffer's reach ahead: the stream restarted there
    double jitter = 0.0;      // RFC 3550 J, in RTP timestamp units
};

class JitterBuffer {
public:
    enum class Insert { Accepted, Duplicate, Late, Restarted };
    enum class Turn { Packet, Missing, Empty };

    struct Next {
        Turn turn = Turn::Empty;
        uint32_t timestamp = 0;            // of the packet (Packet only)
        std::span<const uint8_t> payload;  // valid until the next insert() or next()
    };

    // Holds up to `slots` packets of up to `maxPayload` bytes each.
    JitterBuffer(size_t slots, size_t maxPayload);

    // A packet's sequence number, timestamp and payload, and when it arrived on the RTP clock
    // (for the jitter). Payloads longer than maxPayload are cut to it.
    Insert insert(uint16_t sequence, uint32_t timestamp, std::span<const uint8_t> payload,
                  uint32_t arrival);

    // The next turn in sequence order: its packet, Missing when it never came but a later one
    // has, Empty when nothing after the last turn is held (the stream paused or ended).
    Next next();

    // The payload of the next turn when it is held (what Opus takes FEC from); empty otherwise.
    std::span<const uint8_t> peek() const;
    // Packets held from the next turn on, counting missing turns between them.
    size_t depth() const;
    const JitterBufferStats& stats() const { return stats_; }
    // Forgets every packet and the sequence position (a new stream).
    void reset();

private:
    struct Slot {
        bool held = false;
        uint64_t sequence = 0;
        uint32_t timestamp = 0;
        std::vector<uint8_t> payload;
        size_t size = 0;
    };

    uint64_t extend(uint16_t sequence) const;

    std::vector<Slot> slots_;
    size_t maxPayload_;
    bool started_ = false;
    uint64_t nextTurn_ = 0;  // extended sequence of the next packet to play
    uint64_t highest_ = 0;   // extended sequence of the latest packet accepted
    bool transitKnown_ = false;
    int64_t lastTransit_ = 0;
    JitterBufferStats stats_;
};

}  // namespace liverack::core
