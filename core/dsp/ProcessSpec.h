// What an effect is prepared for: the stream's rate, the largest block it will see, its channels.
#pragma once

#include <cstdint>

namespace liverack::core {

struct ProcessSpec {
    double sampleRate = 48000.0;
    uint32_t maxBlockFrames = 512;
    uint32_t channels = 2;

    friend bool operator==(const ProcessSpec&, const ProcessSpec&) = default;
};

}  // namespace liverack::core
