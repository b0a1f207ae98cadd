// L16 and L24 payloads against the formats' definitions (big-endian two's complement, RFC 3551
// §4.5.11 and RFC 3190 §4), the bytes for known values written out by hand.
#include "core/net/LinearPcm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace liverack::core {
namespace {

std::vector<uint8_t> encoded(std::vector<float> samples, PcmWidth width) {
    std::vector<uint8_t> bytes(pcmBytes(width, samples.size()));
    encodeLinearPcm(samples.data(), samples.size(), width, bytes.data());
    return bytes;
}

TEST(LinearPcmTest, KnownValuesHaveTheirBigEndianTwosComplementBytes) {
    EXPECT_EQ(encoded({0.5f, -0.5f, -1.0f, 0.0f}, PcmWidth::L24),
              (std::vector<uint8_t>{0x40, 0, 0, 0xc0, 0, 0, 0x80, 0, 0, 0, 0, 0}));
    EXPECT_EQ(encoded({0.25f, -1.0f / 32768.0f}, PcmWidth::L16),
              (std::vector<uint8_t>{0x20, 0, 0xff, 0xff}));
    EXPECT_EQ(encoded({1.0f / 8388608.0f}, PcmWidth::L24), (std::vector<uint8_t>{0, 0, 1}));
}

TEST(LinearPcmTest, BeyondFullScaleIsClippedAndNanIsSilence) {
    EXPECT_EQ(encoded({1.0f, 7.0f, -3.0f, std::numeric_limits<float>::quiet_NaN()}, PcmWidth::L24),
              (std::vector<uint8_t>{0x7f, 0xff, 0xff, 0x7f, 0xff, 0xff, 0x80, 0, 0, 0, 0, 0}));
    EXPECT_EQ(encoded({std::numeric_limits<float>::infinity()}, PcmWidth::L16),
              (std::vector<uint8_t>{0x7f, 0xff}));
}

TEST(LinearPcmTest, ValuesBetweenCodesGoToTheNearest) {
    const float step = 1.0f / 8388608.0f;
    EXPECT_EQ(encoded({1000.3f * step, -1000.7f * step}, PcmWidth::L24),
              encoded({1000.0f * step, -1001.0f * step}, PcmWidth::L24));
}

// Every code decodes to the float that encodes back to it: a stream relayed through LiveRack's
// decoder and encoder is bit for bit what came in.
TEST(LinearPcmTest, EveryCodeSurvivesDecodingAndEncodingBitForBit) {
    for (PcmWidth width : {PcmWidth::L16, PcmWidth::L24}) {
        const unsigned bits = 8 * static_cast<unsigned>(width);
        const size_t codes = size_t{1} << bits;
        std::vector<uint8_t> all(pcmBytes(width, codes));
        for (size_t code = 0; code < codes; ++code) {
            for (unsigned b = 0; b < static_cast<unsigned>(width); ++b) {
                all[code * static_cast<unsigned>(width) + b] =
                    static_cast<uint8_t>(code >> (bits - 8 - 8 * b));
            }
        }
        std::vector<float> decoded(codes);
        decodeLinearPcm(all.data(), codes, width, decoded.data());
        // The sign: code 0x80.. is the most negative, −1 exactly.
        EXPECT_EQ(decoded[codes / 2], -1.0f);
        EXPECT_EQ(decoded[codes / 2 - 1], 1.0f - std::ldexp(1.0f, 1 - static_cast<int>(bits)));
        std::vector<uint8_t> again(all.size());
        encodeLinearPcm(decoded.data(), codes, width, again.data());
        EXPECT_EQ(again, all) << bits << " bits";
    }
}

}  // namespace
}  // namespace liverack::core
