// Proves process() (and reset(), which a slot calls on the audio thread when a bypass fade ends)
// of the delay, reverb, chorus, tremolo, distortion and pitch effects never allocates or frees:
// the allocator is replaced in this executable and counts every call made while `counting` is
// set, which it is only around those calls. Parameters jump to random values every block and
// block sizes vary, so every lazily grown buffer (Rubber Band's above all) would show up.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "tests/support/EffectTestSupport.h"

extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_realloc(void*, size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace {

std::atomic<bool> counting{false};
std::atomic<uint64_t> calls{0};

inline void count() {
    if (counting.load(std::memory_order_relaxed)) {
        calls.fetch_add(1, std::memory_order_relaxed);
    }
}

}  // namespace

// The whole malloc family, so C libraries (Rubber Band allocates with posix_memalign) are caught
// as well as operator new (which libstdc++ builds on malloc).
extern "C" void* malloc(size_t size) {
    count();
    return __libc_malloc(size);
}
extern "C" void free(void* p) {
    if (p != nullptr) {
        count();
    }
    __libc_free(p);
}
extern "C" void* realloc(void* p, size_t size) {
    count();
    return __libc_realloc(p, size);
}
extern "C" void* calloc(size_t n, size_t size) {
    count();
    return __libc_calloc(n, size);
}
extern "C" int posix_memalign(void** out, size_t alignment, size_t size) {
    count();
    *out = __libc_memalign(alignment, size);
    return *out != nullptr ? 0 : ENOMEM;
}
extern "C" void* aligned_alloc(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}
extern "C" void* memalign(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

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
        calls.store(0);
        counting.store(true);
        effect->process(buffer.block(n));
        counting.store(false);
        duringProcess += calls.load();
        if (++blocks % 500 == 0) {
            calls.store(0);
            counting.store(true);
            effect->reset();
            counting.store(false);
            duringReset += calls.load();
        }
        position += n;
    }
    EXPECT_EQ(duringProcess, 0u);
    EXPECT_EQ(duringReset, 0u);
}

TEST(TimeEffectRealTimeSafetyCheck, TheCounterSeesAnAllocation) {
    // Guards against a counter that silently counts nothing.
    calls.store(0);
    counting.store(true);
    auto* p = new std::string(100, 'x');
    delete p;
    counting.store(false);
    EXPECT_GE(calls.load(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Effects, TimeEffectRealTimeSafety,
                         ::testing::Values("delay", "reverb", "chorus", "tremolo", "distortion",
                                           "pitch"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace liverack::core
