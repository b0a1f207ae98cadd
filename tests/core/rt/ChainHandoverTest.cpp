// ChainHandover: chains swapped from a control thread while an "audio" thread processes; every
// chain is freed on the control thread, none leaks (ASan in CI), the newest always wins.
#include "core/rt/ChainHandover.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/dsp/AudioBuffer.h"

namespace liverack::core {
namespace {

std::atomic<int> liveChains{0};
std::atomic<std::thread::id> audioThreadId{};
std::atomic<int> freedOnAudioThread{0};

// The only effect in each chain; its lifetime is the chain's, so it proves when and where chains
// are freed, and its tag tells chains apart.
class TracedEffect final : public Effect {
public:
    explicit TracedEffect(float tag) : Effect(staticInfo()), tag_(tag) { ++liveChains; }
    ~TracedEffect() override {
        --liveChains;
        if (std::this_thread::get_id() == audioThreadId.load()) {
            ++freedOnAudioThread;
        }
    }
    static const EffectInfo& staticInfo() {
        static const EffectInfo info{"traced", "Traced", {}};
        return info;
    }
    const EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const ProcessSpec&) override {}
    void process(AudioBlock block) noexcept override {
        for (uint32_t c = 0; c < block.channelCount(); ++c) {
            block.channel(c)[0] = tag_;
        }
    }
    void reset() noexcept override {}
    float tag() const { return tag_; }

private:
    float tag_;
};

std::unique_ptr<EffectChain> makeChain(float tag, const ProcessSpec& spec) {
    std::vector<std::shared_ptr<EffectSlot>> slots;
    slots.push_back(std::make_shared<EffectSlot>(std::make_unique<TracedEffect>(tag)));
    auto chain = std::make_unique<EffectChain>(std::move(slots));
    chain->prepare(spec);
    return chain;
}

float tagOf(EffectChain* chain) {
    return static_cast<TracedEffect&>(chain->slots().front()->effect()).tag();
}

TEST(ChainHandoverTest, NewestOfSeveralPendingChainsWinsAndOthersRetire) {
    const ProcessSpec spec{48000.0, 64, 2};
    ChainHandover handover;
    ASSERT_TRUE(handover.submit(makeChain(-1.0f, spec)));
    ASSERT_TRUE(handover.submit(makeChain(-2.0f, spec)));
    ASSERT_TRUE(handover.submit(makeChain(-3.0f, spec)));
    EffectChain* taken = handover.takePending();
    ASSERT_NE(taken, nullptr);
    EXPECT_EQ(tagOf(taken), -3.0f);
    EXPECT_EQ(handover.collectRetired(), 2u);
    handover.retire(taken);
    EXPECT_EQ(handover.collectRetired(), 1u);
    EXPECT_EQ(liveChains.load(), 0);
}

TEST(ChainHandoverTest, TenThousandSwapsUnderLoadLoseNothingAndLeakNothing) {
    const ProcessSpec spec{48000.0, 64, 2};
    {
        ChainHandover handover;
        std::atomic<bool> done{false};
        std::atomic<uint64_t> swapsSeen{0};
        std::thread audio([&] {
            audioThreadId = std::this_thread::get_id();
            AudioBuffer buffer(2, 64);
            EffectChain* current = nullptr;
            while (!done.load(std::memory_order_acquire) || current == nullptr) {
                if (EffectChain* next = handover.takePending()) {
                    handover.retire(current);
                    current = next;
                    swapsSeen.fetch_add(1);
                }
                if (current != nullptr) {
                    current->process(buffer.block());
                }
            }
            // Drain: take whatever is still pending so the destructor frees only retired chains.
            while (EffectChain* next = handover.takePending()) {
                handover.retire(current);
                current = next;
            }
            handover.retire(current);
        });
        int submitted = 0;
        while (submitted < 10000) {
            if (handover.submit(makeChain(-static_cast<float>(submitted % 60), spec))) {
                ++submitted;
            } else {
                std::this_thread::yield();  // queue full: the audio thread has not caught up
            }
        }
        done.store(true, std::memory_order_release);
        audio.join();
        EXPECT_GE(swapsSeen.load(), 1u);
    }
    EXPECT_EQ(liveChains.load(), 0);          // every chain freed...
    EXPECT_EQ(freedOnAudioThread.load(), 0);  // ...and none of them by the audio thread
}

}  // namespace
}  // namespace liverack::core
