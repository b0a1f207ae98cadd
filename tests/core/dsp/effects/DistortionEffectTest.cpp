// DistortionEffect: on a sine the soft and hard clippers make exactly the odd harmonics the Fourier
// series of their curves predicts and no even ones, the tube curve adds even harmonics,
// oversampling keeps the aliases of a driven 15 kHz sine 45 dB down, the reported latency aligns
// wet and dry, and random parameter changes never click.
#include "core/dsp/effects/DistortionEffect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <tuple>

#include "tests/support/EffectTestSupport.h"

namespace liverack::core {
namespace {

// Magnitude of the DFT of x[begin, begin + n) at `hz` (a single-bin DFT).
double amplitudeAt(const std::vector<float>& x, size_t begin, size_t n, double hz, double rate) {
    std::complex<double> sum = 0.0;
    const double w = 2.0 * std::numbers::pi * hz / rate;
    for (size_t k = 0; k < n; ++k) {
        sum += static_cast<double>(x[begin + k]) * std::polar(1.0, -w * k);
    }
    return 2.0 * std::abs(sum) / n;
}

// Fourier sine coefficient b_n of f(A·sin θ), by numerical integration (the oracle).
template <typename F>
double harmonicOf(F f, double a, int n) {
    constexpr int kSteps = 1 << 16;
    double sum = 0.0;
    for (int k = 0; k < kSteps; ++k) {
        const double theta = 2.0 * std::numbers::pi * k / kSteps;
        sum += f(a * std::sin(theta)) * std::sin(n * theta);
    }
    return 2.0 * sum / kSteps;
}

// |H| of the tone filter y += (1 − a)(x − y) at hz.
double toneGain(double toneHz, double hz, double rate) {
    const double a = std::exp(-2.0 * std::numbers::pi * toneHz / rate);
    return (1.0 - a) / std::abs(1.0 - a * std::polar(1.0, -2.0 * std::numbers::pi * hz / rate));
}

void configure(DistortionEffect& d, float driveDb, int type, float toneHz) {
    d.parameters().set(DistortionEffect::kDriveDb, driveDb);
    d.parameters().set(DistortionEffect::kType, static_cast<float>(type));
    d.parameters().set(DistortionEffect::kToneHz, toneHz);
    d.parameters().set(DistortionEffect::kOutputDb, 0.0f);
    d.parameters().set(DistortionEffect::kMix, 1.0f);
}

// A symmetric curve driven by a sine of amplitude `a`: harmonics 3, 5 and 7 relative to the
// fundamental `h1` as the curve's Fourier series predicts (through the tone filter), within
// 0.3 dB, and no even harmonics (below 1e-4 of the fundamental).
template <typename Curve>
void expectOddHarmonicsOnly(const std::vector<float>& out, size_t begin, size_t n, double f0,
                            double rate, Curve curve, double a, double h1) {
    for (int k : {3, 5, 7}) {
        const double expected = harmonicOf(curve, a, k) * toneGain(12000.0, k * f0, rate) /
                                (harmonicOf(curve, a, 1) * toneGain(12000.0, f0, rate));
        const double measured = amplitudeAt(out, begin, n, k * f0, rate) / h1;
        EXPECT_NEAR(20.0 * std::log10(measured), 20.0 * std::log10(std::abs(expected)), 0.3)
            << "harmonic " << k;
    }
    for (int k : {2, 4, 6}) {
        EXPECT_LT(amplitudeAt(out, begin, n, k * f0, rate) / h1, 1e-4) << "harmonic " << k;
    }
}

using RateAndBlock = std::tuple<double, uint32_t>;
class DistortionEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(DistortionEffectAt, SoftClipMakesThePredictedOddHarmonicsAndNoEvenOnes) {
    const auto [rate, block] = GetParam();
    DistortionEffect dist;
    configure(dist, 12.0f, DistortionEffect::kSoft, 12000.0f);
    dist.prepare({rate, block, 2});
    const double f0 = rate / 96.0;  // 459–1000 Hz, a whole number of samples per period
    const auto out = test::processInBlocks(dist, test::sine(2, 96 * 200, f0, rate, 0.5f), block);
    const size_t begin = 96 * 100;  // well past the ramps and the DC blocker's settling
    const size_t n = 96 * 100;
    const double a = 0.5 * std::pow(10.0, 12.0 / 20.0);
    const auto tanhF = [](double x) { return std::tanh(x); };
    const double h1 = amplitudeAt(out[0], begin, n, f0, rate);
    EXPECT_NEAR(h1, harmonicOf(tanhF, a, 1) * toneGain(12000.0, f0, rate), 0.01);
    expectOddHarmonicsOnly(out[0], begin, n, f0, rate, tanhF, a, h1);
}

TEST_P(DistortionEffectAt, HardClipMakesThePredictedOddHarmonicsAndNoEvenOnes) {
    const auto [rate, block] = GetParam();
    DistortionEffect dist;
    configure(dist, 12.0f, DistortionEffect::kHard, 12000.0f);
    dist.prepare({rate, block, 2});
    const double f0 = rate / 96.0;
    const auto out = test::processInBlocks(dist, test::sine(2, 96 * 200, f0, rate, 0.5f), block);
    const size_t begin = 96 * 100;
    const size_t n = 96 * 100;
    const double a = 0.5 * std::pow(10.0, 12.0 / 20.0);  // about 2: clipped over 2/3 of a cycle
    const auto clip = [](double x) { return std::clamp(x, -1.0, 1.0); };
    const double h1 = amplitudeAt(out[0], begin, n, f0, rate);
    expectOddHarmonicsOnly(out[0], begin, n, f0, rate, clip, a, h1);
}

TEST_P(DistortionEffectAt, TubeCurveAddsEvenHarmonics) {
    const auto [rate, block] = GetParam();
    DistortionEffect dist;
    configure(dist, 12.0f, DistortionEffect::kTube, 12000.0f);
    dist.prepare({rate, block, 2});
    const double f0 = rate / 96.0;
    const auto out = test::processInBlocks(dist, test::sine(2, 96 * 200, f0, rate, 0.5f), block);
    const double a = 0.5 * std::pow(10.0, 12.0 / 20.0);
    const auto tube = [](double x) {
        return std::tanh(x + DistortionEffect::kTubeBias) - std::tanh(DistortionEffect::kTubeBias);
    };
    // The even harmonics of an asymmetric curve are cosine terms: compare magnitudes.
    const auto magnitude = [&](int k) {
        constexpr int kSteps = 1 << 16;
        std::complex<double> sum = 0.0;
        for (int i = 0; i < kSteps; ++i) {
            const double theta = 2.0 * std::numbers::pi * i / kSteps;
            sum += tube(a * std::sin(theta)) * std::polar(1.0, -k * theta);
        }
        return 2.0 * std::abs(sum) / kSteps;
    };
    const double h1 = amplitudeAt(out[0], 9600, 9600, f0, rate);
    const double h2 = amplitudeAt(out[0], 9600, 9600, 2 * f0, rate);
    const double expected = magnitude(2) * toneGain(12000.0, 2 * f0, rate) /
                            (magnitude(1) * toneGain(12000.0, f0, rate));
    EXPECT_GT(h2 / h1, 0.01) << "second harmonic above −40 dB";
    EXPECT_NEAR(20.0 * std::log10(h2 / h1), 20.0 * std::log10(expected), 0.3);
}

TEST_P(DistortionEffectAt, MixZeroIsTheInputDelayedByTheReportedLatency) {
    const auto [rate, block] = GetParam();
    DistortionEffect dist;
    dist.parameters().set(DistortionEffect::kMix, 0.0f);
    dist.prepare({rate, block, 2});
    const auto in = test::sine(2, 8192, 441.0, rate, 0.5f);
    const auto out = test::processInBlocks(dist, in, block);
    const uint32_t latency = dist.latencyFrames();
    ASSERT_EQ(latency, DistortionEffect::kLatencyFrames);
    for (size_t i = latency; i < in[0].size(); ++i) {
        ASSERT_EQ(out[0][i], in[0][i - latency]);
    }
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, DistortionEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(DistortionEffectTest, WetPathIsDelayedByTheReportedLatencyToo) {
    // At a low level tanh is the identity, so the wet path is the input delayed by the filters.
    const double rate = 48000.0;
    DistortionEffect dist;
    configure(dist, 0.0f, DistortionEffect::kSoft, 12000.0f);
    dist.prepare({rate, 256, 1});
    const auto in = test::sine(1, 9600, 1000.0, rate, 0.001f);
    const auto out = test::processInBlocks(dist, in, 256);
    const auto latency = static_cast<int>(dist.latencyFrames());
    const auto errorAt = [&](int delay) {
        double worst = 0.0;
        for (size_t i = 4800; i < in[0].size(); ++i) {
            worst = std::max(worst, static_cast<double>(std::abs(out[0][i] - in[0][i - delay])));
        }
        return worst;
    };
    // A one-sample misalignment at 1 kHz leaves a 13 % residual; the right delay leaves only the
    // tone and DC filters' small phase shifts (a few %).
    EXPECT_LT(errorAt(latency), 0.05 * 0.001);
    EXPECT_LT(errorAt(latency), 0.5 * errorAt(latency - 1));
    EXPECT_LT(errorAt(latency), 0.5 * errorAt(latency + 1));
}

TEST(DistortionEffectTest, AliasesOfADriven15kHzSineStay45dBDown) {
    for (double rate : {44100.0, 48000.0}) {
        for (int type : {DistortionEffect::kSoft, DistortionEffect::kTube}) {
            DistortionEffect dist;
            configure(dist, 24.0f, type, 12000.0f);
            dist.prepare({rate, 512, 1});
            const auto out = test::processInBlocks(
                dist, test::sine(1, static_cast<size_t>(rate), 15000.0, rate, 0.5f), 512);
            // 10 Hz bins: every harmonic and every alias of 15 kHz falls on a bin centre.
            const auto n = static_cast<size_t>(rate / 10.0);
            const size_t begin = out[0].size() - n;
            const double fundamental = amplitudeAt(out[0], begin, n, 15000.0, rate);
            double worstAlias = 0.0;
            double worstHz = 0.0;
            for (double hz = 20.0; hz < rate / 2; hz += 10.0) {
                if (std::abs(hz - 15000.0) < 1.0) {
                    continue;  // the only true harmonic below Nyquist
                }
                const double a = amplitudeAt(out[0], begin, n, hz, rate);
                if (a > worstAlias) {
                    worstAlias = a;
                    worstHz = hz;
                }
            }
            const double db = 20.0 * std::log10(worstAlias / fundamental);
            RecordProperty(
                ("alias_db_" + std::to_string(static_cast<int>(rate)) + "_" + std::to_string(type)),
                std::to_string(db));
            EXPECT_LT(db, -40.0) << "worst alias at " << worstHz << " Hz, rate " << rate
                                 << ", type " << type;
        }
    }
}

TEST(DistortionEffectTest, OutputDoesNotDependOnTheBlockSize) {
    // The effect works in chunks of the oversampler's block and skips idle ramps per chunk: none
    // of that may show. Parameters change (drive, tone, mix ramps and a type crossfade) at frame
    // 4032, which every block size here divides, so all runs see the same changes at the same
    // frame and must agree bit for bit.
    const double rate = 48000.0;
    const auto in = test::sine(2, 8064, 1234.5, rate, 0.7f);
    std::vector<test::Signal> outputs;
    for (uint32_t block : {1u, 7u, 63u, 64u, 576u, 4032u}) {
        DistortionEffect dist;
        configure(dist, 18.0f, DistortionEffect::kSoft, 6000.0f);
        dist.prepare({rate, block, 2});
        test::Signal first(2), second(2);
        for (size_t c = 0; c < 2; ++c) {
            first[c].assign(in[c].begin(), in[c].begin() + 4032);
            second[c].assign(in[c].begin() + 4032, in[c].end());
        }
        auto out = test::processInBlocks(dist, first, block);
        configure(dist, 30.0f, DistortionEffect::kTube, 2000.0f);
        dist.parameters().set(DistortionEffect::kMix, 0.5f);
        const auto rest = test::processInBlocks(dist, second, block);
        for (size_t c = 0; c < 2; ++c) {
            out[c].insert(out[c].end(), rest[c].begin(), rest[c].end());
        }
        outputs.push_back(std::move(out));
    }
    for (size_t k = 1; k < outputs.size(); ++k) {
        ASSERT_EQ(outputs[k], outputs[0]) << "block size run " << k;
    }
}

TEST(DistortionEffectTest, RandomParametersEveryBlockNeverClick) {
    for (double rate : {44100.0, 96000.0}) {
        DistortionEffect dist;
        dist.prepare({rate, 64, 2});
        // A clipped signal is not band-limited, so Bernstein's bound does not hold for the wet
        // path. What does: after the tone low-pass y += (1 − a)(x − y), a step is at most
        // (1 − a)·|x − y| ≤ (1 − a)·2·peak, with a at the highest tone (12 kHz). Expressed as a
        // factor on the Bernstein term: 2(1 − a)/(2π·1 kHz/rate).
        const double a = std::exp(-2.0 * std::numbers::pi * 12000.0 / rate);
        const double factor = 2.0 * (1.0 - a) / (2.0 * std::numbers::pi * 1000.0 / rate);
        const auto report = test::randomParameterClickTest(dist, rate, 64, factor, 0.01f);
        EXPECT_TRUE(report.finite);
        EXPECT_LE(report.worstExcess, 0.0) << "at sample " << report.worstIndex;
    }
}

TEST(DistortionEffectTest, SilenceAfterASignalNeverGoesSubnormal) {
    // The 5 Hz DC blocker takes about 1.5 s to fall below FLT_MIN after the input stops.
    DistortionEffect dist;
    configure(dist, 24.0f, DistortionEffect::kTube, 4000.0f);
    dist.prepare({48000.0, 256, 2});
    auto in = test::sine(2, 5 * 48000, 220.0, 48000.0, 0.5f);
    for (auto& ch : in) {
        std::fill(ch.begin() + 48000, ch.end(), 0.0f);
    }
    const auto out = test::processInBlocks(dist, in, 256);
    for (const auto& ch : out) {
        for (float v : ch) {
            ASSERT_NE(std::fpclassify(v), FP_SUBNORMAL);
        }
        EXPECT_EQ(ch.back(), 0.0f);
    }
}

TEST(DistortionEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = DistortionEffect::staticInfo();
    EXPECT_EQ(info.typeId, "distortion");
    ASSERT_EQ(info.parameters.size(), 5u);
    const char* ids[] = {"drive_db", "tone_hz", "type", "output_db", "mix"};
    const float mins[] = {0.0f, 500.0f, 0.0f, -24.0f, 0.0f};
    const float maxs[] = {48.0f, 12000.0f, 2.0f, 12.0f, 1.0f};
    const float defaults[] = {12.0f, 4000.0f, 0.0f, -6.0f, 1.0f};
    for (size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(info.parameters[i].id, ids[i]);
        EXPECT_EQ(info.parameters[i].minValue, mins[i]);
        EXPECT_EQ(info.parameters[i].maxValue, maxs[i]);
        EXPECT_EQ(info.parameters[i].defaultValue, defaults[i]);
    }
    EXPECT_EQ(info.parameters[DistortionEffect::kType].choices,
              (std::vector<std::string>{"soft", "hard", "tube"}));
}

}  // namespace
}  // namespace liverack::core
