// The payload decoder against what went into the packets: linear PCM comes out bit for bit, a
// fade length late, and a lost turn is a monotone fade to silence and back that keeps every turn's
// length; Opus (encoded here with libopus itself) keeps the sine's level, and a lost packet is
// filled from the next one's in-band FEC with the same pitch and about the same level.
#include "core/net/RtpPayloadDecoder.h"

#include <gtest/gtest.h>
#include <opus/opus.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "core/net/LinearPcm.h"

namespace liverack::core {
namespace {

constexpr double kPi = std::numbers::pi;

// A sine on channel 0 and DC 0.5 on channel 1 (which shows a gain directly), both exactly
// representable in `width`.
std::vector<float> pcmExactSignal(size_t frames, double rate, PcmWidth width) {
    const double scale = width == PcmWidth::L24 ? 8388608.0 : 32768.0;
    std::vector<float> x(2 * frames);
    for (size_t n = 0; n < frames; ++n) {
        const double s = 0.7 * std::sin(2.0 * kPi * 997.0 * static_cast<double>(n) / rate);
        x[2 * n] = static_cast<float>(std::nearbyint(s * scale) / scale);
        x[2 * n + 1] = 0.5f;
    }
    return x;
}

std::vector<uint8_t> pcmPacket(const std::vector<float>& x, size_t firstFrame, size_t frames,
                               PcmWidth width) {
    std::vector<uint8_t> bytes(pcmBytes(width, 2 * frames));
    encodeLinearPcm(x.data() + 2 * firstFrame, 2 * frames, width, bytes.data());
    return bytes;
}

struct PcmCase {
    RtpCodec codec;
    unsigned rate;
    size_t packetFrames;
};

void PrintTo(const PcmCase& c, std::ostream* os) {
    *os << codecName(c.codec) << "/" << c.rate << " " << c.packetFrames << " frames a packet";
}

class RtpPayloadDecoderPcmTest : public ::testing::TestWithParam<PcmCase> {
protected:
    PcmWidth width() const {
        return GetParam().codec == RtpCodec::L24 ? PcmWidth::L24 : PcmWidth::L16;
    }
    size_t fadeFrames() const {
        return static_cast<size_t>(GetParam().rate * RtpPayloadDecoder::kPcmFadeMs / 1000.0);
    }
};

TEST_P(RtpPayloadDecoderPcmTest, OutputIsTheInputBitForBitDelayedByTheFade) {
    const auto [codec, rate, packetFrames] = GetParam();
    const size_t packets = 40;
    const auto x = pcmExactSignal(packets * packetFrames, rate, width());
    auto decoder = RtpPayloadDecoder::create(codec, rate, 2);
    ASSERT_TRUE(decoder) << decoder.error();
    std::vector<float> out(RtpPayloadDecoder::kMaxFramesPerTurn * 2);
    std::vector<float> y;
    for (size_t p = 0; p < packets; ++p) {
        const auto payload = pcmPacket(x, p * packetFrames, packetFrames, width());
        EXPECT_EQ((*decoder)->framesIn(payload),
                  payload.size() / (2 * static_cast<size_t>(width())));
        ASSERT_EQ((*decoder)->decode(payload, out.data()), packetFrames) << "packet " << p;
        EXPECT_EQ((*decoder)->turnFrames(), packetFrames);
        y.insert(y.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(2 * packetFrames));
    }
    const size_t delay = fadeFrames();
    ASSERT_EQ(y.size(), x.size());
    for (size_t n = 0; n < y.size() / 2; ++n) {
        for (size_t c = 0; c < 2; ++c) {
            const float expected = n < delay ? 0.0f : x[2 * (n - delay) + c];
            ASSERT_EQ(y[2 * n + c], expected) << "frame " << n << " channel " << c;
        }
    }
}

TEST_P(RtpPayloadDecoderPcmTest, ALostTurnFadesMonotonicallyToSilenceAndBackKeepingItsLength) {
    const auto [codec, rate, packetFrames] = GetParam();
    const size_t packets = 30;
    const size_t lost = 12;
    const auto x = pcmExactSignal(packets * packetFrames, rate, width());
    auto decoder = RtpPayloadDecoder::create(codec, rate, 2);
    ASSERT_TRUE(decoder) << decoder.error();
    std::vector<float> out(RtpPayloadDecoder::kMaxFramesPerTurn * 2);
    std::vector<float> y;
    for (size_t p = 0; p < packets; ++p) {
        size_t frames = 0;
        if (p == lost) {
            frames = (*decoder)->conceal({}, out.data());
        } else {
            frames = (*decoder)->decode(pcmPacket(x, p * packetFrames, packetFrames, width()),
                                        out.data());
        }
        ASSERT_EQ(frames, packetFrames) << "turn " << p;
        y.insert(y.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(2 * frames));
    }
    ASSERT_EQ(y.size(), x.size());
    const size_t delay = fadeFrames();
    const size_t frames = y.size() / 2;
    // The DC channel is 0.5 × the gain applied at each output frame.
    std::vector<double> gain(frames);
    for (size_t n = 0; n < frames; ++n) {
        gain[n] = n < delay ? 1.0 : y[2 * n + 1] / 0.5;
    }
    // The lost packet's own audio is silence, wherever the fades fall around it.
    for (size_t n = lost * packetFrames + delay; n < (lost + 1) * packetFrames + delay; ++n) {
        ASSERT_EQ(gain[n], 0.0) << "frame " << n;
    }
    // 1, then non-increasing to 0, then 0, then non-decreasing back to 1, then 1.
    const size_t silentFrom = lost * packetFrames + delay;
    const size_t silentTo = (lost + 1) * packetFrames + delay;
    size_t fadeOutStart = silentFrom;
    while (fadeOutStart > delay && gain[fadeOutStart - 1] < 1.0) {
        --fadeOutStart;
    }
    size_t fadeInEnd = silentTo;
    while (fadeInEnd < frames && gain[fadeInEnd] < 1.0) {
        ++fadeInEnd;
    }
    for (size_t n = delay; n < frames; ++n) {
        if (n < fadeOutStart || n >= fadeInEnd) {
            ASSERT_EQ(gain[n], 1.0) << "frame " << n;
        } else if (n < silentFrom) {
            ASSERT_LE(gain[n], gain[n - 1]) << "fade out at frame " << n;
        } else if (n >= silentTo) {
            ASSERT_GE(gain[n], gain[n - 1]) << "fade in at frame " << n;
        }
        ASSERT_GE(gain[n], 0.0);
    }
    // The fades are gradual: no more than the fade length, none a step of more than 1/fade.
    EXPECT_GT(silentFrom - fadeOutStart, 0u);
    EXPECT_LE(silentFrom - fadeOutStart, delay);
    EXPECT_GT(fadeInEnd - silentTo, 0u);
    EXPECT_LE(fadeInEnd - silentTo, delay);
    const double largestStep = 1.0 / static_cast<double>(std::min(delay, packetFrames)) + 1e-6;
    for (size_t n = fadeOutStart; n < fadeInEnd + 1 && n < frames; ++n) {
        EXPECT_LE(std::abs(gain[n] - gain[n - 1]), largestStep) << "frame " << n;
    }
    // The sine went through the same gain (the fade is applied to all channels alike).
    for (size_t n = delay; n < frames; ++n) {
        const double expected = x[2 * (n - delay)] * gain[n];
        ASSERT_NEAR(y[2 * n], expected, 1e-6) << "frame " << n;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Rates, RtpPayloadDecoderPcmTest,
    ::testing::Values(PcmCase{RtpCodec::L24, 48000, 240}, PcmCase{RtpCodec::L24, 44100, 441},
                      PcmCase{RtpCodec::L24, 96000, 240}, PcmCase{RtpCodec::L24, 48000, 64},
                      PcmCase{RtpCodec::L16, 48000, 480}, PcmCase{RtpCodec::L16, 44100, 220}));

// AES67's 1 ms packets (48 frames at 48 kHz) are shorter than the 2.5 ms fade. A lost one must
// still silence only its own audio: what arrived before it fades out over the full fade length,
// the packet after it fades in over the full fade length, and no frame that arrived is dropped.
TEST(RtpPayloadDecoderTest, PacketsShorterThanTheFadeLoseOnlyTheLostPacketAndFadeFully) {
    constexpr unsigned kRate = 48000;
    constexpr size_t kPacket = 48;
    const size_t fade = static_cast<size_t>(kRate * RtpPayloadDecoder::kPcmFadeMs / 1000.0);
    ASSERT_LT(kPacket, fade);
    const size_t packets = 40;
    const size_t lost = 20;
    const auto x = pcmExactSignal(packets * kPacket, kRate, PcmWidth::L24);
    auto decoder = RtpPayloadDecoder::create(RtpCodec::L24, kRate, 2);
    ASSERT_TRUE(decoder);
    std::vector<float> out(RtpPayloadDecoder::kMaxFramesPerTurn * 2);
    std::vector<float> y;
    for (size_t p = 0; p < packets; ++p) {
        const size_t frames =
            p == lost
                ? (*decoder)->conceal({}, out.data())
                : (*decoder)->decode(pcmPacket(x, p * kPacket, kPacket, PcmWidth::L24), out.data());
        ASSERT_EQ(frames, kPacket);
        y.insert(y.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(2 * frames));
    }
    // Output frame n carries input frame n − fade; the DC channel shows its gain.
    const size_t silentFrom = lost * kPacket + fade;
    const size_t silentTo = (lost + 1) * kPacket + fade;
    size_t dropped = 0;
    size_t fadingOut = 0;
    size_t fadingIn = 0;
    for (size_t n = fade; n < y.size() / 2; ++n) {
        const double gain = y[2 * n + 1] / 0.5;
        if (n >= silentFrom && n < silentTo) {
            EXPECT_EQ(gain, 0.0) << "frame " << n << " of the lost packet";
        } else if (gain == 0.0) {
            ++dropped;
        } else if (gain < 1.0) {
            ++(n < silentFrom ? fadingOut : fadingIn);
        }
    }
    EXPECT_EQ(dropped, 0u) << "frames that arrived but were replaced by silence";
    EXPECT_EQ(fadingOut, fade) << "the fade out is shorter than kPcmFadeMs";
    EXPECT_EQ(fadingIn, fade) << "the fade in is shorter than kPcmFadeMs";
}

TEST(RtpPayloadDecoderTest, PcmFramesInIsThePayloadOverChannelsTimesWidth) {
    auto l24 = RtpPayloadDecoder::create(RtpCodec::L24, 48000, 2);
    auto l16 = RtpPayloadDecoder::create(RtpCodec::L16, 48000, 3);
    ASSERT_TRUE(l24 && l16);
    EXPECT_EQ((*l24)->framesIn(std::vector<uint8_t>(1440)), 240u);
    EXPECT_EQ((*l16)->framesIn(std::vector<uint8_t>(6 * 77)), 77u);
    EXPECT_EQ((*l24)->framesIn({}), 0u);
    // Not a whole number of frames: not decoded.
    std::vector<float> out(RtpPayloadDecoder::kMaxFramesPerTurn * 2);
    EXPECT_EQ((*l24)->decode(std::vector<uint8_t>(1441), out.data()), 0u);
    EXPECT_EQ((*l24)->decode({}, out.data()), 0u);
}

// ---- Opus ----

constexpr unsigned kOpusRate = 48000;
constexpr int kOpusFrame = 480;  // 10 ms
constexpr double kToneHz = 1000.0;
constexpr double kToneAmplitude = 0.5;

double tone(size_t n, size_t channel) {
    // A quarter turn apart, so the two channels are not one.
    return kToneAmplitude * std::sin(2.0 * kPi * kToneHz * static_cast<double>(n) / kOpusRate +
                                     (channel == 0 ? 0.0 : kPi / 2.0));
}

std::vector<std::vector<uint8_t>> opusPackets(size_t count) {
    int error = OPUS_OK;
    OpusEncoder* encoder = opus_encoder_create(kOpusRate, 2, OPUS_APPLICATION_AUDIO, &error);
    EXPECT_EQ(error, OPUS_OK);
    opus_encoder_ctl(encoder, OPUS_SET_BITRATE(64000));
    opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(1));
    opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(10));
    std::vector<float> frame(2 * kOpusFrame);
    std::vector<std::vector<uint8_t>> packets;
    for (size_t p = 0; p < count; ++p) {
        for (size_t n = 0; n < kOpusFrame; ++n) {
            for (size_t c = 0; c < 2; ++c) {
                frame[2 * n + c] = static_cast<float>(tone(p * kOpusFrame + n, c));
            }
        }
        uint8_t packet[1500];
        const opus_int32 bytes =
            opus_encode_float(encoder, frame.data(), kOpusFrame, packet, sizeof packet);
        EXPECT_GT(bytes, 0);
        packets.emplace_back(packet, packet + std::max(bytes, 0));
    }
    opus_encoder_destroy(encoder);
    return packets;
}

double rms(const float* interleaved, size_t frames, size_t channels) {
    double energy = 0.0;
    for (size_t i = 0; i < frames * channels; ++i) {
        energy += double(interleaved[i]) * interleaved[i];
    }
    return std::sqrt(energy / double(frames * channels));
}

double decibels(double ratio) {
    return 20.0 * std::log10(ratio);
}

// The strongest DFT bin of channel 0 (Hann window), in Hz: 480 frames are 100 Hz bins, so a 1 kHz
// tone is bin 10 exactly.
double dominantHz(const float* interleaved, size_t frames) {
    size_t best = 0;
    double bestPower = -1.0;
    for (size_t k = 1; k < frames / 2; ++k) {
        std::complex<double> sum = 0.0;
        for (size_t n = 0; n < frames; ++n) {
            const double window = 0.5 - 0.5 * std::cos(2.0 * kPi * double(n) / double(frames));
            sum += window * double(interleaved[2 * n]) *
                   std::polar(1.0, -2.0 * kPi * double(k * n) / double(frames));
        }
        if (std::norm(sum) > bestPower) {
            bestPower = std::norm(sum);
            best = k;
        }
    }
    return double(best) * kOpusRate / double(frames);
}

class RtpPayloadDecoderOpusTest : public ::testing::Test {
protected:
    void SetUp() override {
        packets_ = opusPackets(100);
        // FEC rides in SILK's LBRR frames: the encoder must have chosen SILK or hybrid
        // (configurations 0..15), or the FEC check below would test plain concealment.
        for (const auto& p : packets_) {
            ASSERT_FALSE(p.empty());
            ASSERT_LT(p[0] >> 3, 16) << "a CELT-only packet carries no in-band FEC";
        }
        auto decoder = RtpPayloadDecoder::create(RtpCodec::Opus, kOpusRate, 2);
        ASSERT_TRUE(decoder) << decoder.error();
        decoder_ = std::move(decoder.value());
        out_.assign(RtpPayloadDecoder::kMaxFramesPerTurn * 2, 0.0f);
    }

    static double inputRms() { return kToneAmplitude / std::sqrt(2.0); }

    std::vector<std::vector<uint8_t>> packets_;
    std::unique_ptr<RtpPayloadDecoder> decoder_;
    std::vector<float> out_;
};

TEST_F(RtpPayloadDecoderOpusTest, SteadyToneKeepsItsLevelWithinHalfADecibel) {
    std::vector<float> y;
    for (const auto& packet : packets_) {
        EXPECT_EQ(decoder_->framesIn(packet), size_t{kOpusFrame});
        ASSERT_EQ(decoder_->decode(packet, out_.data()), size_t{kOpusFrame});
        EXPECT_EQ(decoder_->turnFrames(), size_t{kOpusFrame});
        y.insert(y.end(), out_.begin(), out_.begin() + 2 * kOpusFrame);
    }
    // Past the encoder's start-up (its look-ahead and the first frames' adaptation): 200 ms on.
    const size_t from = 20 * kOpusFrame;
    const double level = rms(y.data() + 2 * from, y.size() / 2 - from, 2);
    EXPECT_NEAR(decibels(level / inputRms()), 0.0, 0.5);
    EXPECT_EQ(dominantHz(y.data() + 2 * 50 * kOpusFrame, kOpusFrame), kToneHz);
}

// libopus's own decoder, fed packets [0, lost) and then told of the loss: with the next packet's
// FEC (`next`), or without (plain concealment).
std::vector<float> libopusConcealment(const std::vector<std::vector<uint8_t>>& packets, size_t lost,
                                      bool withFec) {
    int error = OPUS_OK;
    OpusDecoder* decoder = opus_decoder_create(kOpusRate, 2, &error);
    EXPECT_EQ(error, OPUS_OK);
    std::vector<float> out(2 * kOpusFrame);
    for (size_t p = 0; p < lost; ++p) {
        EXPECT_EQ(opus_decode_float(decoder, packets[p].data(),
                                    static_cast<opus_int32>(packets[p].size()), out.data(),
                                    kOpusFrame, 0),
                  kOpusFrame);
    }
    const auto& next = packets[lost + 1];
    const int got =
        withFec ? opus_decode_float(decoder, next.data(), static_cast<opus_int32>(next.size()),
                                    out.data(), kOpusFrame, 1)
                : opus_decode_float(decoder, nullptr, 0, out.data(), kOpusFrame, 0);
    EXPECT_EQ(got, kOpusFrame);
    opus_decoder_destroy(decoder);
    return out;
}

TEST_F(RtpPayloadDecoderOpusTest, ALostPacketIsFilledFromTheNextOnesFecWithTheTonesPitchAndLevel) {
    // SILK codes redundancy only for the frames its voice detector finds active, so not for every
    // packet of a steady tone: the loss is put where libopus's own decoder finds FEC (its FEC
    // decode differs from its plain concealment).
    size_t lost = 30;
    while (lost + 2 < packets_.size() &&
           libopusConcealment(packets_, lost, true) == libopusConcealment(packets_, lost, false)) {
        ++lost;
    }
    ASSERT_LT(lost + 2, packets_.size()) << "no packet of the tone carries in-band FEC";

    for (size_t p = 0; p < lost; ++p) {
        ASSERT_EQ(decoder_->decode(packets_[p], out_.data()), size_t{kOpusFrame});
    }
    ASSERT_EQ(decoder_->conceal(packets_[lost + 1], out_.data()), size_t{kOpusFrame});
    const std::vector<float> concealed(out_.begin(), out_.begin() + 2 * kOpusFrame);
    // What libopus makes of the FEC, and not its plain concealment.
    EXPECT_EQ(concealed, libopusConcealment(packets_, lost, true));
    EXPECT_NE(concealed, libopusConcealment(packets_, lost, false));
    // What a listener hears: the tone, at about its level.
    EXPECT_NEAR(decibels(rms(concealed.data(), kOpusFrame, 2) / inputRms()), 0.0, 3.0);
    EXPECT_EQ(dominantHz(concealed.data(), kOpusFrame), kToneHz);
    // And the stream goes on from the next packet. (Its level is libopus's business: its own
    // decoder, driven directly, wobbles by several dB for a few packets after any loss.)
    ASSERT_EQ(decoder_->decode(packets_[lost + 1], out_.data()), size_t{kOpusFrame});
}

TEST_F(RtpPayloadDecoderOpusTest, ConcealingWithoutANextPacketGivesATurnOfFiniteAudio) {
    for (size_t p = 0; p < 30; ++p) {
        ASSERT_EQ(decoder_->decode(packets_[p], out_.data()), size_t{kOpusFrame});
    }
    for (int turn = 0; turn < 3; ++turn) {
        std::fill(out_.begin(), out_.end(), std::nanf(""));
        ASSERT_EQ(decoder_->conceal({}, out_.data()), decoder_->turnFrames());
        for (size_t i = 0; i < 2 * decoder_->turnFrames(); ++i) {
            ASSERT_TRUE(std::isfinite(out_[i])) << "turn " << turn << " sample " << i;
        }
    }
}

TEST_F(RtpPayloadDecoderOpusTest, GarbagePayloadsDecodeToNothingAndLeaveTheDecoderWorking) {
    ASSERT_EQ(decoder_->decode(packets_[0], out_.data()), size_t{kOpusFrame});
    // Code 3 (several frames) without its frame count; 63 frames of 60 ms (beyond 120 ms); a
    // code 3 count of zero frames.
    const std::vector<std::vector<uint8_t>> garbage = {
        {0x03}, {0xff, 0xff, 0xff, 0xff, 0xff}, {0x03, 0x00, 0x12, 0x34}};
    for (const auto& payload : garbage) {
        EXPECT_EQ(decoder_->framesIn(payload), 0u);
        EXPECT_EQ(decoder_->decode(payload, out_.data()), 0u);
    }
    EXPECT_EQ(decoder_->decode({}, out_.data()), 0u);
    EXPECT_EQ(decoder_->turnFrames(), size_t{kOpusFrame});
    ASSERT_EQ(decoder_->decode(packets_[1], out_.data()), size_t{kOpusFrame});
}

TEST(RtpPayloadDecoderTest, BeforeAnyPacketATurnIsTenMilliseconds) {
    for (RtpCodec codec : {RtpCodec::Opus, RtpCodec::L24}) {
        auto decoder = RtpPayloadDecoder::create(codec, 48000, 2);
        ASSERT_TRUE(decoder);
        EXPECT_EQ((*decoder)->turnFrames(), 480u);
        std::vector<float> out(RtpPayloadDecoder::kMaxFramesPerTurn * 2, 1.0f);
        EXPECT_EQ((*decoder)->conceal({}, out.data()), 480u);
    }
}

}  // namespace
}  // namespace liverack::core
