// SampleRing: SPSC multichannel ring; whole blocks or nothing, every sample once and in order.
#include "core/rt/SampleRing.h"

#include <gtest/gtest.h>

#include <numeric>
#include <thread>
#include <vector>

namespace liverack::core {
namespace {

struct Planar {
    Planar(uint32_t channels, uint32_t frames) : data(channels, std::vector<float>(frames)) {
        for (auto& c : data) {
            pointers.push_back(c.data());
        }
    }
    AudioBlock block(uint32_t frames) { return {pointers.data(), uint32_t(data.size()), frames}; }
    std::vector<std::vector<float>> data;
    std::vector<float*> pointers;
};

TEST(SampleRingTest, NewRingIsEmpty) {
    SampleRing ring(2, 64);
    Planar out(2, 64);
    EXPECT_EQ(ring.availableFrames(), 0u);
    EXPECT_EQ(ring.pop(out.pointers.data(), 64), 0u);
    EXPECT_EQ(ring.droppedFrames(), 0u);
}

TEST(SampleRingTest, FullRingDropsWholeBlockAndCountsIt) {
    SampleRing ring(2, 100);
    Planar in(2, 64);
    EXPECT_TRUE(ring.push(in.block(64)));
    EXPECT_FALSE(ring.push(in.block(64)));  // 36 frames free: the block is dropped whole
    EXPECT_EQ(ring.droppedFrames(), 64u);
    EXPECT_EQ(ring.availableFrames(), 64u);
    EXPECT_TRUE(ring.push(in.block(36)));  // what fits still goes in
    EXPECT_EQ(ring.availableFrames(), 100u);
}

TEST(SampleRingTest, WrapAroundKeepsOrderOnEveryChannel) {
    SampleRing ring(2, 50);
    Planar in(2, 30);
    Planar out(2, 30);
    float next = 0.0f;
    float expected = 0.0f;
    for (int round = 0; round < 20; ++round) {  // 600 frames through a 50-frame ring
        for (uint32_t i = 0; i < 30; ++i) {
            in.data[0][i] = next;
            in.data[1][i] = -next;
            next += 1.0f;
        }
        ASSERT_TRUE(ring.push(in.block(30)));
        ASSERT_EQ(ring.pop(out.pointers.data(), 30), 30u);
        for (uint32_t i = 0; i < 30; ++i) {
            ASSERT_EQ(out.data[0][i], expected);
            ASSERT_EQ(out.data[1][i], -expected);
            expected += 1.0f;
        }
    }
}

TEST(SampleRingTest, MonoBlockIntoStereoRingRepeatsTheChannel) {
    SampleRing ring(2, 16);
    Planar in(1, 4);
    in.data[0] = {1, 2, 3, 4};
    ASSERT_TRUE(ring.push(in.block(4)));
    Planar out(2, 4);
    ASSERT_EQ(ring.pop(out.pointers.data(), 4), 4u);
    EXPECT_EQ(out.data[1], in.data[0]);
}

TEST(SampleRingTest, DiscardEmptiesAllChannelsEqually) {
    SampleRing ring(3, 64);
    Planar in(3, 20);
    ASSERT_TRUE(ring.push(in.block(20)));
    EXPECT_EQ(ring.discard(), 20u);
    EXPECT_EQ(ring.availableFrames(), 0u);
}

// Two threads: every sample arrives exactly once and in order; drops only happen whole-block and
// are accounted for, so pushed = popped.
TEST(SampleRingTest, TwoThreadStressDeliversEverySampleOnceInOrder) {
    constexpr uint32_t kBlock = 37;  // odd size so blocks straddle the wrap point
    constexpr uint64_t kBlocks = 200000;
    SampleRing ring(2, 1024);
    uint64_t popped = 0;
    bool orderOk = true;
    std::thread consumer([&] {
        Planar out(2, 256);
        float expected = 0.0f;
        while (popped < kBlocks * kBlock) {
            const size_t n = ring.pop(out.pointers.data(), 256);
            for (size_t i = 0; i < n; ++i) {
                // Values count blocks*kBlock + i modulo 2^20 so floats stay exact.
                if (out.data[0][i] != expected || out.data[1][i] != -expected) {
                    orderOk = false;
                }
                expected = out.data[0][i] + 1.0f;
                if (expected >= 1048576.0f) {
                    expected = 0.0f;
                }
            }
            popped += n;
        }
    });
    Planar in(2, kBlock);
    float value = 0.0f;
    for (uint64_t b = 0; b < kBlocks; ++b) {
        const float start = value;
        for (uint32_t i = 0; i < kBlock; ++i) {
            in.data[0][i] = value;
            in.data[1][i] = -value;
            value += 1.0f;
            if (value >= 1048576.0f) {
                value = 0.0f;
            }
        }
        if (!ring.push(in.block(kBlock))) {
            value = start;  // a dropped block is re-sent with the same values: order must hold
            --b;
            std::this_thread::yield();
        }
    }
    consumer.join();
    EXPECT_TRUE(orderOk);
    EXPECT_EQ(popped, ring.pushedFrames());
    EXPECT_EQ(ring.pushedFrames(), kBlocks * kBlock);
}

}  // namespace
}  // namespace liverack::core
