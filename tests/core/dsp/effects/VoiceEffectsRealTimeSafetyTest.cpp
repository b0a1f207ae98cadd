// Proves process() and reset() of the voice effects (denoise, agc, echo_cancel) never allocate
// or free on the audio thread, webrtc-audio-processing and libsoxr included, at a native rate
// (48 kHz) and a resampled one (44.1 kHz): the allocator is replaced in this executable
// (tests/support/CountingAllocator.h). Parameters jump at random every block (each setter the
// effects call on the audio thread), block sizes vary, and the echo canceller's reference comes
// and goes.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <tuple>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "tests/support/CountingAllocator.h"
#include "tests/support/EffectTestSupport.h"

namespace liverack::core {
namespace {

class VoiceEffectRealTimeSafety : public ::testing::TestWithParam<std::tuple<std::string, double>> {
};

TEST_P(VoiceEffectRealTimeSafety, ProcessAndResetNeverAllocateOrFree) {
    const auto& [type, rate] = GetParam();
    constexpr uint32_t kMaxBlock = 1024;
    auto effect = EffectFactory::create(type);
    ASSERT_NE(effect, nullptr) << "registered in EffectFactory";
    effect->prepare({rate, kMaxBlock, 2});

    const auto frames = static_cast<size_t>(10.0 * rate);
    const auto noise = test::bandLimitedNoise(frames, rate, 8000.0, 0.5f, 11);
    const auto far = test::bandLimitedNoise(frames, rate, 4000.0, 0.3f, 12);
    AudioBuffer buffer(2, kMaxBlock);
    AudioBuffer reference(2, kMaxBlock);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    std::uniform_int_distribution<uint32_t> blockSize(1, kMaxBlock);
    auto& params = effect->parameters();
    uint64_t duringProcess = 0;
    uint64_t duringReset = 0;
    uint64_t locks = 0;
    size_t position = 0;
    int blocks = 0;
    while (position < frames) {
        for (size_t p = 0; p < params.size(); ++p) {
            params.set(p, params.info(p).fromNormalised(unit(rng)));
        }
        const auto n = static_cast<uint32_t>(std::min<size_t>(blockSize(rng), frames - position));
        std::copy_n(noise.begin() + position, n, buffer.channel(0));
        std::copy_n(noise.begin() + position, n, buffer.channel(1));
        std::copy_n(far.begin() + position, n, reference.channel(0));
        std::copy_n(far.begin() + position, n, reference.channel(1));
        // The far end is there for stretches of some 40 blocks, then absent for as long.
        const bool withReference = (blocks / 40) % 2 == 0;
        test::CountingAllocator::clear();
        {
            test::CountingAllocator::Scope counting;
            effect->setReference(withReference ? reference.block(n) : AudioBlock());
            effect->process(buffer.block(n));
        }
        duringProcess += test::CountingAllocator::allocations().load();
        locks += test::CountingAllocator::locks().load();
        if (++blocks % 300 == 0) {
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
    // webrtc-audio-processing guards each call with its own mutexes. Only the audio thread
    // ever calls into an effect's instance, so they are never contended; reported, not failed.
    std::printf("%s at %.0f Hz: %.2f library mutex locks per block\n", type.c_str(), rate,
                static_cast<double>(locks) / blocks);
}

TEST(VoiceEffectRealTimeSafetyCheck, TheCounterSeesAnAllocation) {
    // Guards against a counter that silently counts nothing.
    test::CountingAllocator::clear();
    {
        test::CountingAllocator::Scope counting;
        auto* p = new std::string(100, 'x');
        delete p;
    }
    EXPECT_GE(test::CountingAllocator::allocations().load(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Effects, VoiceEffectRealTimeSafety,
                         ::testing::Combine(::testing::Values("denoise", "agc", "echo_cancel"),
                                            ::testing::Values(48000.0, 44100.0)),
                         [](const auto& info) {
                             return std::get<0>(info.param) + "_" +
                                    std::to_string(static_cast<int>(std::get<1>(info.param))) +
                                    "Hz";
                         });

}  // namespace
}  // namespace liverack::core
