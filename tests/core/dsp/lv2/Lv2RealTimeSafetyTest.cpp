// Proves that LV2 slots keep the audio thread clean: while real plugins (x42 and LSP) process
// with every parameter jumping each block, block sizes varying and resets (as a bypass fade
// ends) in between, the thread that calls process() and reset() makes no allocation, frees
// nothing, takes no mutex and never instantiates a plugin. The malloc family, pthread mutexes
// and lilv_plugin_instantiate are replaced in this executable and count only on that thread
// (the slot's housekeeping thread, which makes new instances, is meant to allocate).
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <lilv/lilv.h>
#include <pthread.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <random>
#include <string>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/lv2/Lv2Effect.h"
#include "core/rt/RealTimeThread.h"
#include "tests/support/CountingAllocator.h"
#include "tests/support/EffectTestSupport.h"

namespace {

std::atomic<uint64_t> instantiations{0};

}  // namespace

extern "C" LilvInstance* lilv_plugin_instantiate(const LilvPlugin* plugin, double rate,
                                                 const LV2_Feature* const* features) {
    using Instantiate = LilvInstance* (*)(const LilvPlugin*, double, const LV2_Feature* const*);
    static const auto real =
        reinterpret_cast<Instantiate>(dlsym(RTLD_NEXT, "lilv_plugin_instantiate"));
    if (liverack::test::CountingAllocator::counting()) {
        instantiations.fetch_add(1, std::memory_order_relaxed);
    }
    return real(plugin, rate, features);
}

namespace liverack::core {
namespace {

// Before any test touches the lilv world: the test plugin that schedules work from run().
const bool kLv2PathSet = [] { return ::setenv("LV2_PATH", LIVERACK_TEST_LV2_PATH, 1) == 0; }();

class Lv2RealTimeSafety : public ::testing::TestWithParam<std::string> {};

TEST_P(Lv2RealTimeSafety, ProcessAndResetNeverAllocateLockOrInstantiate) {
    const double rate = 48000.0;
    constexpr uint32_t kMaxBlock = 512;
    auto made = Lv2Effect::create(GetParam());
    ASSERT_TRUE(made) << made.error();
    Lv2Effect& effect = **made;
    effect.prepare({rate, kMaxBlock, 2});
    effect.reset();

    const auto frames = static_cast<size_t>(10.0 * rate);
    const auto noise = test::bandLimitedNoise(frames, rate, 8000.0, 0.5f, 11);
    AudioBuffer buffer(2, kMaxBlock);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    std::uniform_int_distribution<uint32_t> blockSize(1, kMaxBlock);
    auto& params = effect.parameters();
    test::CountingAllocator::clear();
    instantiations.store(0);
    size_t position = 0;
    int blocks = 0;
    while (position < frames) {
        for (size_t p = 0; p < params.size(); ++p) {
            params.set(p, params.info(p).fromNormalised(unit(rng)));
        }
        const auto n = static_cast<uint32_t>(std::min<size_t>(blockSize(rng), frames - position));
        std::copy_n(noise.begin() + position, n, buffer.channel(0));
        std::copy_n(noise.begin() + position, n, buffer.channel(1));
        {
            test::CountingAllocator::Scope counting;
            RealTimeThread::Scope realTime;  // as the engine's callback marks itself
            effect.process(buffer.block(n));
            if (++blocks % 100 == 0) {
                effect.reset();
            }
        }
        for (uint32_t c = 0; c < 2; ++c) {
            for (uint32_t i = 0; i < n; ++i) {
                ASSERT_TRUE(std::isfinite(buffer.channel(c)[i])) << GetParam() << " frame " << i;
            }
        }
        position += n;
    }
    EXPECT_EQ(test::CountingAllocator::allocations().load(), 0u) << GetParam();
    EXPECT_EQ(test::CountingAllocator::locks().load(), 0u) << GetParam();
    EXPECT_EQ(instantiations.load(), 0u) << GetParam();
}

TEST(Lv2RealTimeSafetyCheck, TheCountersSeeWhatTheyCount) {
    // Guards against counters that silently count nothing.
    test::CountingAllocator::clear();
    instantiations.store(0);
    {
        test::CountingAllocator::Scope counting;
        auto* p = new std::string(100, 'x');
        delete p;
        pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
        pthread_mutex_lock(&mutex);
        pthread_mutex_unlock(&mutex);
        ASSERT_TRUE(Lv2Effect::create("http://gareus.org/oss/lv2/fil4#mono"));
    }
    EXPECT_GE(test::CountingAllocator::allocations().load(), 2u);
    EXPECT_GE(test::CountingAllocator::locks().load(), 1u);
    EXPECT_GE(instantiations.load(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Plugins, Lv2RealTimeSafety,
    ::testing::Values("http://gareus.org/oss/lv2/fat1", "http://gareus.org/oss/lv2/fil4#mono",
                      "http://gareus.org/oss/lv2/dpl#stereo", "http://gareus.org/oss/lv2/nodelay",
                      "http://lsp-plug.in/plugins/lv2/compressor_stereo",
                      "http://lsp-plug.in/plugins/lv2/para_equalizer_x16_stereo",
                      "urn:liverack:test:worker-gain"),
    [](const auto& info) {
        std::string name;
        for (char c : info.param.substr(info.param.find_last_of("/") + 1)) {
            name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
        }
        return name;
    });

}  // namespace
}  // namespace liverack::core
