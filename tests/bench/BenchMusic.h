// A test signal for the codec benchmarks: two tones and a little noise per channel, something
// an encoder has to work at (a pure sine or silence would flatter it).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace liverack::bench {

inline std::vector<std::vector<float>> music(double rate, size_t frames) {
    std::vector<std::vector<float>> out(2, std::vector<float>(frames));
    uint32_t seed = 1;
    for (size_t c = 0; c < 2; ++c) {
        for (size_t n = 0; n < frames; ++n) {
            seed = seed * 1664525u + 1013904223u;
            const double t = static_cast<double>(n) / rate;
            out[c][n] = static_cast<float>(0.3 * std::sin(2 * M_PI * (220.0 + 110 * c) * t) +
                                           0.2 * std::sin(2 * M_PI * 1760.0 * t) +
                                           0.05 * (static_cast<double>(seed) / 4294967296.0 - 0.5));
        }
    }
    return out;
}

}  // namespace liverack::bench
