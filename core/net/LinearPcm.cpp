#include "core/net/LinearPcm.h"

#include <cmath>

namespace liverack::core {

void encodeLinearPcm(const float* from, size_t samples, PcmWidth width, uint8_t* to) noexcept {
    const unsigned bytes = static_cast<unsigned>(width);
    const double scale = width == PcmWidth::L24 ? 8388608.0 : 32768.0;
    const double largest = scale - 1.0;
    for (size_t i = 0; i < samples; ++i) {
        // NaN (a fault upstream) goes out as silence rather than as whatever the cast makes of it.
        const double x = std::isnan(from[i]) ? 0.0 : std::nearbyint(double(from[i]) * scale);
        const auto value = static_cast<int32_t>(x > largest ? largest : x < -scale ? -scale : x);
        const auto bits = static_cast<uint32_t>(value);
        for (unsigned b = 0; b < bytes; ++b) {
            *to++ = static_cast<uint8_t>(bits >> (8 * (bytes - 1 - b)));
        }
    }
}

void decodeLinearPcm(const uint8_t* from, size_t samples, PcmWidth width, float* to) noexcept {
    const unsigned bytes = static_cast<unsigned>(width);
    const float scale = width == PcmWidth::L24 ? 1.0f / 8388608.0f : 1.0f / 32768.0f;
    for (size_t i = 0; i < samples; ++i) {
        uint32_t bits = 0;
        for (unsigned b = 0; b < bytes; ++b) {
            bits = bits << 8 | *from++;
        }
        // Sign-extend from the sample's width: shift its top bit to bit 31, then back.
        const unsigned unused = 32 - 8 * bytes;
        const auto value = static_cast<int32_t>(bits << unused) >> unused;
        to[i] = static_cast<float>(value) * scale;
    }
}

}  // namespace liverack::core
