// Proves process() (and reset(), which a slot calls on the audio thread when a bypass fade ends)
// of the delay, reverb, chorus, tremolo, distortion and pitch effects never allocates or frees:
// the allocator is replaced in this executable (tests/support/CountingAllocator.h) and counts
// the calls this thread makes around those calls only. Parameters jump to random values every
// block and block sizes vary, so every lazily grown buffer (Rubber Band's above all) would show.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "tests/support/CountingAllocator.h"
#include "tests/support/EffectTestSupport.h"

namespace liverack::core {
namespace {

class TimeEffectRealTimeSafety : public ::testing::TestWithParam<std::string> {};

TEST_P(TimeEffectRealTimeSafety, ProcessAndResetNeverAllocateOrFree) {
    const double rate = 48000.0;
    constexpr uint32_t kMaxBlock = 1024;
    auto effect = EffectFactory::create(GetParam());
    ASSERT_NE(effect, nullptr) << "registered in EffectFactory";
    effect->prepare({rate, kMaxBlock, 2});

    const auto frames = static_cast<size_t>(20.0 * rate);
    const auto noise = test::bandLimitedNoise(frames, rate, 8000.0, 0.5f, 11);
    AudioBuffer buffer(2, kMaxBlock);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    std::uniform_int_distribution<uint32_t> blockSize(1, kMaxBlock);
    auto& params = effect->parameters();
    uint64_t duringProcess = 0;
    uint64_t duringReset = 0;
    size_t position = 0;
    int blocks = 0;
    while (position < frames) {
        for (size_t p = 0; p < params.size(); ++p) {
            params.set(p, params.info(p).fromNormalised(unit(rng)));
        }
        const auto n = static_cast<uint32_t>(std::min<size_t>(blockSize(rng), frames - position));
        std::copy_n(noise.begin() + position, n, buffer.channel(0));
        std::copy_n(noise.begin() + position, n, buffer.channel(1));
        test::CountingAllocator::clear();
        {
            test::CountingAllocator::Scope counting;
            effect->process(buffer.block(n));
        }
        duringProcess += test::CountingAllocator::allocations().load();
        if (++blocks % 500 == 0) {
            test::CountingAllocator::clear();
            {
                test::CountingAllocator::Scope counting;
                effect->reset();
            }
            duringReset += test::CountingAllocator::allocations().load();
        }
        position += n;
    }
    EXPECT_EQ(duringProcess, 0u);
    EXPECT_EQ(duringReset, 0u);
}

TEST(TimeEffectRealTimeSafetyCheck, TheCounterSeesAnAllocation) {
    // Guards against a counter that silently counts nothing.
    test::CountingAllocator::clear();
    {
        test::CountingAllocator::Scope counting;
        auto* p = new std::string(100, 'x');
        delete p;
    }
    EXPECT_GE(test::CountingAllocator::allocations().load(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Effects, TimeEffectRealTimeSafety,
                         ::testing::Values("delay", "reverb", "chorus", "tremolo", "distortion",
                                           "pitch"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace liverack::core
