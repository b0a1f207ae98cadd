// Checks that something processing audio in place leaves it exactly as it was (bypass, all
// bands off, mix at zero): bit for bit, not merely close.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>

#include "core/dsp/AudioBuffer.h"

namespace liverack::test {

// Feeds stereo uniform noise (from `seed`) through `process` in blocks of `blockFrames` for
// 8192 frames (at least 4 blocks); succeeds when every output sample equals its input exactly.
template <typename Process>
::testing::AssertionResult passesThroughBitExact(Process&& process, uint32_t blockFrames,
                                                 unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    core::AudioBuffer buffer(2, blockFrames);
    core::AudioBuffer input(2, blockFrames);
    for (int b = 0; b < std::max(4, static_cast<int>(8192 / blockFrames)); ++b) {
        for (uint32_t c = 0; c < 2; ++c) {
            for (uint32_t i = 0; i < blockFrames; ++i) {
                input.channel(c)[i] = noise(rng);
            }
        }
        buffer.block().copyFrom(input.block());
        process(buffer.block());
        for (uint32_t c = 0; c < 2; ++c) {
            for (uint32_t i = 0; i < blockFrames; ++i) {
                if (buffer.channel(c)[i] != input.channel(c)[i]) {
                    return ::testing::AssertionFailure()
                           << "block " << b << ", channel " << c << ", frame " << i << ": "
                           << buffer.channel(c)[i] << " instead of " << input.channel(c)[i];
                }
            }
        }
    }
    return ::testing::AssertionSuccess();
}

}  // namespace liverack::test
