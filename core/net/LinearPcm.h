// Linear PCM payloads for RTP: L16 (RFC 3551 §4.5.11) and L24 (RFC 3190 §4), interleaved samples,
// big-endian, two's complement. Floats map to integers by 2^(bits-1), so a float that is an exact
// L24 (or L16) value survives the trip out and back bit for bit; beyond ±1 it is clipped.
#pragma once

#include <cstddef>
#include <cstdint>

namespace liverack::core {

enum class PcmWidth : unsigned { L16 = 2, L24 = 3 };  // bytes per sample

constexpr size_t pcmBytes(PcmWidth width, size_t samples) {
    return static_cast<size_t>(width) * samples;
}

// `samples` floats (all channels, interleaved) into pcmBytes(width, samples) bytes at `to`.
void encodeLinearPcm(const float* from, size_t samples, PcmWidth width, uint8_t* to) noexcept;

// pcmBytes(width, samples) bytes into `samples` floats.
void decodeLinearPcm(const uint8_t* from, size_t samples, PcmWidth width, float* to) noexcept;

}  // namespace liverack::core
