// LatestValue: the reader always sees a complete value, the newest published one, never a tear.
#include "core/rt/LatestValue.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>

namespace liverack::core {
namespace {

struct Snapshot {
    uint64_t sequence = 0;
    std::array<uint64_t, 64> payload{};  // every element equals sequence in a complete value
};

TEST(LatestValueTest, NothingFreshBeforeFirstPublish) {
    LatestValue<Snapshot> cell;
    EXPECT_FALSE(cell.update());
}

TEST(LatestValueTest, ReaderGetsNewestOfSeveralPublishes) {
    LatestValue<Snapshot> cell;
    for (uint64_t s = 1; s <= 5; ++s) {
        Snapshot snap;
        snap.sequence = s;
        cell.publish(snap);
    }
    EXPECT_TRUE(cell.update());
    EXPECT_EQ(cell.readSlot().sequence, 5u);
    EXPECT_FALSE(cell.update());  // nothing newer since
    EXPECT_EQ(cell.read().sequence, 5u);
}

TEST(LatestValueTest, ConcurrentReaderNeverSeesTornOrOlderValues) {
    LatestValue<Snapshot> cell;
    std::atomic<bool> done{false};
    bool torn = false;
    bool wentBack = false;
    std::thread reader([&] {
        uint64_t last = 0;
        while (!done.load()) {
            if (cell.update()) {
                const Snapshot& s = cell.readSlot();
                for (uint64_t v : s.payload) {
                    torn |= v != s.sequence;
                }
                wentBack |= s.sequence < last;
                last = s.sequence;
            }
        }
    });
    for (uint64_t s = 1; s <= 300000; ++s) {
        Snapshot& slot = cell.writeSlot();
        slot.sequence = s;
        slot.payload.fill(s);
        cell.publish();
    }
    done = true;
    reader.join();
    EXPECT_FALSE(torn);
    EXPECT_FALSE(wentBack);
    cell.update();
    EXPECT_EQ(cell.readSlot().sequence, 300000u);
}

}  // namespace
}  // namespace liverack::core
