// VoiceFrameAdapter: with frames passed through untouched, an impulse comes out exactly
// latencyFrames() later at the library's own rates (16, 32, 48 kHz) and within a sample of it
// through libsoxr at the others (22.05 to 192 kHz), at block sizes from 1 to 1024 and at random
// ones, never running short; frames hold 10 ms at the processing rate; the reference is framed
// in step with the stream; flush() leaves nothing of earlier audio.
#include "core/dsp/effects/VoiceFrameAdapter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/dsp/AudioBuffer.h"

namespace liverack::core {
namespace {

constexpr uint32_t kMaxBlock = 1024;

// Runs `input` (mono, copied to both channels) through the adapter with untouched frames in
// blocks of `block` frames (0: random sizes up to kMaxBlock); returns channel 1.
std::vector<float> passThrough(VoiceFrameAdapter& adapter, const std::vector<float>& input,
                               uint32_t block, uint64_t* framesSeen = nullptr) {
    AudioBuffer buffer(2, kMaxBlock);
    std::vector<float> out(input.size());
    std::mt19937 rng(3);
    std::uniform_int_distribution<uint32_t> size(1, kMaxBlock);
    for (size_t start = 0; start < input.size();) {
        const auto n = static_cast<uint32_t>(
            std::min<size_t>(block == 0 ? size(rng) : block, input.size() - start));
        std::copy_n(input.begin() + start, n, buffer.channel(0));
        std::copy_n(input.begin() + start, n, buffer.channel(1));
        adapter.process(buffer.block(n), AudioBlock(), [&](float* const*, const float*) {
            if (framesSeen != nullptr) {
                ++*framesSeen;
            }
        });
        std::copy_n(buffer.channel(1), n, out.begin() + start);
        start += n;
    }
    return out;
}

class AdapterAtRateAndBlock : public ::testing::TestWithParam<std::tuple<double, uint32_t>> {};

TEST_P(AdapterAtRateAndBlock, AnImpulseComesOutAtTheReportedLatency) {
    const auto [rate, block] = GetParam();
    VoiceFrameAdapter adapter;
    ASSERT_TRUE(adapter.prepare(rate, kMaxBlock, 2, false, 0).ok());
    const bool native = rate == 16000.0 || rate == 32000.0 || rate == 48000.0;
    EXPECT_EQ(adapter.isResampling(), !native);
    EXPECT_EQ(adapter.frameFrames(), adapter.processingRate() / 100);
    std::vector<float> input(static_cast<size_t>(0.5 * rate), 0.0f);
    const size_t at = static_cast<size_t>(0.1 * rate) + 7;
    input[at] = 1.0f;
    uint64_t frames = 0;
    const std::vector<float> out = passThrough(adapter, input, block, &frames);
    EXPECT_EQ(adapter.underrunCount(), 0u);
    // Every 10 ms of input makes a frame (give or take the one being collected).
    EXPECT_NEAR(static_cast<double>(frames), 50.0, 1.0);
    const uint32_t latency = adapter.latencyFrames();
    size_t peak = 0;
    for (size_t i = 0; i < out.size(); ++i) {
        if (std::abs(out[i]) > std::abs(out[peak])) {
            peak = i;
        }
    }
    if (native) {
        EXPECT_EQ(latency, adapter.frameFrames());
        for (size_t i = 0; i < out.size(); ++i) {
            ASSERT_EQ(out[i], i == at + latency ? 1.0f : 0.0f) << "sample " << i;
        }
    } else {
        EXPECT_NEAR(static_cast<double>(peak), static_cast<double>(at + latency), 1.0);
        // Resampled at most a few milliseconds past the frame itself.
        EXPECT_LT(latency, static_cast<uint32_t>(0.016 * rate));
    }
}

std::string rateBlockName(const ::testing::TestParamInfo<std::tuple<double, uint32_t>>& info) {
    const auto [rate, block] = info.param;
    return std::to_string(static_cast<int>(rate)) + "Hz_" +
           (block == 0 ? std::string("random") : "block" + std::to_string(block));
}

INSTANTIATE_TEST_SUITE_P(Rates, AdapterAtRateAndBlock,
                         ::testing::Combine(::testing::Values(16000.0, 22050.0, 32000.0, 44100.0,
                                                              48000.0, 88200.0, 96000.0, 192000.0),
                                            ::testing::Values(1u, 64u, 441u, 1024u, 0u)),
                         rateBlockName);

TEST(VoiceFrameAdapterTest, TheReferenceIsFramedInStepWithTheStream) {
    for (const double rate : {48000.0, 44100.0}) {
        VoiceFrameAdapter adapter;
        ASSERT_TRUE(adapter.prepare(rate, 256, 1, true, 0).ok());
        std::mt19937 rng(8);
        std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
        AudioBuffer buffer(1, 256);
        AudioBuffer reference(1, 256);
        double worst = 0.0;
        int frames = 0;
        for (int b = 0; b < 400; ++b) {
            for (uint32_t i = 0; i < 256; ++i) {
                buffer.channel(0)[i] = reference.channel(0)[i] = noise(rng);
            }
            adapter.process(buffer.block(), reference.block(),
                            [&](float* const* frame, const float* far) {
                                ++frames;
                                for (uint32_t i = 0; i < adapter.frameFrames(); ++i) {
                                    worst = std::max<double>(worst, std::abs(frame[0][i] - far[i]));
                                }
                            });
        }
        EXPECT_GT(frames, 200);
        EXPECT_EQ(worst, 0.0) << rate << " Hz: the reference frame is not the stream's";
    }
}

TEST(VoiceFrameAdapterTest, FlushLeavesNothingOfEarlierAudio) {
    for (const double rate : {48000.0, 44100.0, 96000.0}) {
        VoiceFrameAdapter adapter;
        ASSERT_TRUE(adapter.prepare(rate, 512, 2, false, 0).ok());
        std::mt19937 rng(4);
        std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
        std::vector<float> loud(static_cast<size_t>(0.3 * rate));
        for (float& v : loud) {
            v = noise(rng);
        }
        (void)passThrough(adapter, loud, 512);
        adapter.flush([](float* const*, const float*) {});
        const std::vector<float> silence(static_cast<size_t>(0.2 * rate), 0.0f);
        const std::vector<float> out = passThrough(adapter, silence, 512);
        for (size_t i = 0; i < out.size(); ++i) {
            ASSERT_EQ(out[i], 0.0f) << rate << " Hz, sample " << i;
        }
    }
}

TEST(VoiceFrameAdapterTest, ABadStreamIsRefusedWithASentence) {
    VoiceFrameAdapter adapter;
    const Status status = adapter.prepare(1000.0, 256, 2, false, 0);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().find("Hz"), std::string::npos);
    // Unprepared, blocks pass untouched.
    AudioBuffer buffer(2, 16);
    buffer.channel(0)[3] = 0.5f;
    adapter.process(buffer.block(), AudioBlock(), [](float* const*, const float*) {});
    EXPECT_EQ(buffer.channel(0)[3], 0.5f);
}

}  // namespace
}  // namespace liverack::core
