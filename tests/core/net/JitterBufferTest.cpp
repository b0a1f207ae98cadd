// The jitter buffer against what the network did to a stream, which the test does itself: every
// packet comes out once and in order whatever order it came in, each copy and each packet too
// late is counted as such, each gap is a loss, sequence numbers wrap, and the jitter follows
// RFC 3550 §6.4.1 for transit patterns whose J is known in closed form.
#include "core/net/JitterBuffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace liverack::core {
namespace {

constexpr uint32_t kStep = 480;

std::vector<uint8_t> payloadOf(uint64_t n) {
    return {static_cast<uint8_t>(n), static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n >> 16)};
}

uint64_t numberIn(std::span<const uint8_t> payload) {
    return payload[0] | uint64_t{payload[1]} << 8 | uint64_t{payload[2]} << 16;
}

// Inserts packet n of a stream that started at sequence `first`.
JitterBuffer::Insert insertPacket(JitterBuffer& buffer, uint16_t first, uint64_t n,
                                  uint32_t arrival = 0) {
    const auto payload = payloadOf(n);
    return buffer.insert(static_cast<uint16_t>(first + n), static_cast<uint32_t>(n * kStep),
                         payload, arrival);
}

TEST(JitterBufferTest, ShuffledDuplicatedStreamComesOutOnceInOrderAcrossTheWrap) {
    // 2000 packets from sequence 64000 on (it wraps after 1536), each moved up to 20 places and
    // one in ten sent twice.
    const uint16_t first = 64000;
    std::mt19937 rng(7);
    std::vector<std::pair<double, uint64_t>> sends;
    std::uniform_real_distribution<double> shift(0.0, 20.0);
    std::uniform_int_distribution<int> copy(0, 9);
    size_t copies = 0;
    for (uint64_t n = 0; n < 2000; ++n) {
        sends.push_back({double(n) + shift(rng), n});
        if (copy(rng) == 0) {
            sends.push_back({double(n) + shift(rng), n});
            ++copies;
        }
    }
    std::sort(sends.begin(), sends.end());
    // Packet 0 first, so the stream starts there (a receiver starts where the first one lands).
    std::stable_partition(sends.begin(), sends.end(), [](auto& s) { return s.second == 0; });

    JitterBuffer buffer(64, 16);
    size_t reorderedExpected = 0;
    uint64_t highest = 0;
    std::vector<bool> seen(2000, false);
    std::vector<uint64_t> out;
    const auto play = [&](size_t keep) {
        // Playout keeps `keep` turns buffered, more than any packet was moved: none comes late.
        while (buffer.depth() > keep) {
            const auto next = buffer.next();
            ASSERT_EQ(next.turn, JitterBuffer::Turn::Packet) << "after " << out.size();
            out.push_back(numberIn(next.payload));
            EXPECT_EQ(next.timestamp, static_cast<uint32_t>(out.back() * kStep));
        }
    };
    for (const auto& [when, n] : sends) {
        const auto result = insertPacket(buffer, first, n);
        if (seen[n]) {
            EXPECT_EQ(result, JitterBuffer::Insert::Duplicate) << n;
            continue;
        }
        seen[n] = true;
        EXPECT_EQ(result, JitterBuffer::Insert::Accepted) << n;
        reorderedExpected += n < highest ? 1 : 0;
        highest = std::max(highest, n);
        ASSERT_NO_FATAL_FAILURE(play(32));
    }
    ASSERT_NO_FATAL_FAILURE(play(0));
    EXPECT_EQ(buffer.next().turn, JitterBuffer::Turn::Empty);
    ASSERT_EQ(out.size(), 2000u);
    for (uint64_t n = 0; n < 2000; ++n) {
        ASSERT_EQ(out[n], n);
    }
    EXPECT_EQ(buffer.stats().received, 2000u);
    EXPECT_EQ(buffer.stats().reordered, reorderedExpected);
    // Copies of packets not yet played are found in their slot; a copy of one played, in the
    // played slot's number: all counted, none played twice.
    EXPECT_EQ(buffer.stats().duplicates, copies);
    EXPECT_EQ(buffer.stats().lost, 0u);
}

TEST(JitterBufferTest, GapsAreMissingTurnsAndAPacketAfterItsTurnIsLate) {
    JitterBuffer buffer(32, 16);
    for (uint64_t n : {0, 1, 3, 4, 7}) {
        insertPacket(buffer, 100, n);
    }
    EXPECT_EQ(buffer.depth(), 8u);
    std::vector<JitterBuffer::Turn> turns;
    for (int i = 0; i < 8; ++i) {
        turns.push_back(buffer.next().turn);
    }
    using T = JitterBuffer::Turn;
    EXPECT_EQ(turns, (std::vector<T>{T::Packet, T::Packet, T::Missing, T::Packet, T::Packet,
                                     T::Missing, T::Missing, T::Packet}));
    EXPECT_EQ(buffer.next().turn, T::Empty);
    EXPECT_EQ(buffer.stats().lost, 3u);
    EXPECT_EQ(insertPacket(buffer, 100, 5), JitterBuffer::Insert::Late);
    EXPECT_EQ(insertPacket(buffer, 100, 4), JitterBuffer::Insert::Duplicate);
    EXPECT_EQ(buffer.stats().late, 1u);
    EXPECT_EQ(buffer.stats().duplicates, 1u);
    // The stream goes on after the pause.
    insertPacket(buffer, 100, 8);
    const auto next = buffer.next();
    ASSERT_EQ(next.turn, T::Packet);
    EXPECT_EQ(numberIn(next.payload), 8u);
}

TEST(JitterBufferTest, SenderThatJumpsFarAwayRestartsPlayoutThere) {
    JitterBuffer buffer(32, 16);
    insertPacket(buffer, 0, 0);
    insertPacket(buffer, 0, 1);
    EXPECT_EQ(buffer.next().turn, JitterBuffer::Turn::Packet);
    // A sender restarted with a new random sequence, behind and then ahead.
    EXPECT_EQ(buffer.insert(40000, 0, payloadOf(77), 0), JitterBuffer::Insert::Restarted);
    auto next = buffer.next();
    ASSERT_EQ(next.turn, JitterBuffer::Turn::Packet);
    EXPECT_EQ(numberIn(next.payload), 77u);
    EXPECT_EQ(buffer.insert(40001, 0, payloadOf(78), 0), JitterBuffer::Insert::Accepted);
    EXPECT_EQ(buffer.insert(39000, 0, payloadOf(1), 0), JitterBuffer::Insert::Restarted);
    EXPECT_EQ(buffer.stats().tooFar, 2u);
}

// RFC 3550: D(i-1,i) = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16. A constant transit gives
// J = 0; a transit alternating between t and t + a gives |D| = a every packet, so J → a,
// and after k packets J = a (1 - (15/16)^(k-1)).
TEST(JitterBufferTest, JitterFollowsRfc3550ForKnownTransitPatterns) {
    JitterBuffer steady(64, 4);
    for (uint64_t n = 0; n < 200; ++n) {
        insertPacket(steady, 5, n, static_cast<uint32_t>(n * kStep + 1234));
        steady.next();
    }
    EXPECT_EQ(steady.stats().jitter, 0.0);

    const double a = 96.0;
    JitterBuffer alternating(64, 4);
    const int packets = 40;
    for (int n = 0; n < packets; ++n) {
        const uint32_t transit = 1000u + (n % 2 == 1 ? static_cast<uint32_t>(a) : 0u);
        insertPacket(alternating, 65530, static_cast<uint64_t>(n),
                     static_cast<uint32_t>(n) * kStep + transit);
        alternating.next();
    }
    EXPECT_NEAR(alternating.stats().jitter, a * (1.0 - std::pow(15.0 / 16.0, packets - 1)), 1e-9);
}

TEST(JitterBufferTest, OversizedPayloadIsCutToTheSlot) {
    JitterBuffer buffer(4, 8);
    const std::vector<uint8_t> big(100, 0xab);
    buffer.insert(1, 0, big, 0);
    const auto next = buffer.next();
    ASSERT_EQ(next.turn, JitterBuffer::Turn::Packet);
    EXPECT_EQ(next.payload.size(), 8u);
}

}  // namespace
}  // namespace liverack::core
