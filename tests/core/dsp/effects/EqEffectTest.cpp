// EqEffect: measured responses match the RBJ Audio-EQ-Cookbook formulas (written out again here,
// independently of the effect's code), pass filters are Butterworth (-3.01 dB at the cutoff for
// every slope), all-off and slot bypass are bit-exact, and random parameter changes every block
// never make the output blow up or jump beyond what the settings allow.
#include "core/dsp/effects/EqEffect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/dsp/EffectFactory.h"
#include "core/dsp/EffectSlot.h"
#include "tests/support/PassThroughCheck.h"
#include "tests/support/RandomParameters.h"

namespace liverack::core {
namespace {

using Type = EqEffect::BandType;
constexpr double kPi = std::numbers::pi;

// --- Oracle: the cookbook (R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter
// coefficients"), transcribed term by term with a0 kept, evaluated as a complex ratio. ---
struct CookbookSection {
    double b0, b1, b2, a0, a1, a2;

    std::complex<double> response(double f, double fs) const {
        const std::complex<double> z1 = std::exp(std::complex<double>(0.0, -2.0 * kPi * f / fs));
        return (b0 + b1 * z1 + b2 * z1 * z1) / (a0 + a1 * z1 + a2 * z1 * z1);
    }
};

CookbookSection cookbook(Type type, double fs, double f0, double q, double dbGain) {
    const double A = std::pow(10.0, dbGain / 40.0);
    const double w0 = 2.0 * kPi * f0 / fs;
    const double cw = std::cos(w0);
    const double alpha = std::sin(w0) / (2.0 * q);
    const double sA = 2.0 * std::sqrt(A) * alpha;
    switch (type) {
        case Type::LowPass:
            return {(1 - cw) / 2, 1 - cw, (1 - cw) / 2, 1 + alpha, -2 * cw, 1 - alpha};
        case Type::HighPass:
            return {(1 + cw) / 2, -(1 + cw), (1 + cw) / 2, 1 + alpha, -2 * cw, 1 - alpha};
        case Type::BandPass:  // constant 0 dB peak gain
            return {alpha, 0, -alpha, 1 + alpha, -2 * cw, 1 - alpha};
        case Type::Notch:
            return {1, -2 * cw, 1, 1 + alpha, -2 * cw, 1 - alpha};
        case Type::Peak:
            return {1 + alpha * A, -2 * cw, 1 - alpha * A, 1 + alpha / A, -2 * cw, 1 - alpha / A};
        case Type::LowShelf:
            return {A * ((A + 1) - (A - 1) * cw + sA), 2 * A * ((A - 1) - (A + 1) * cw),
                    A * ((A + 1) - (A - 1) * cw - sA), (A + 1) + (A - 1) * cw + sA,
                    -2 * ((A - 1) + (A + 1) * cw),     (A + 1) + (A - 1) * cw - sA};
        case Type::HighShelf:
            return {A * ((A + 1) + (A - 1) * cw + sA), -2 * A * ((A - 1) + (A + 1) * cw),
                    A * ((A + 1) + (A - 1) * cw - sA), (A + 1) - (A - 1) * cw + sA,
                    2 * ((A - 1) - (A + 1) * cw),      (A + 1) - (A - 1) * cw - sA};
        case Type::Off:
            break;
    }
    return {1, 0, 0, 1, 0, 0};
}

// Bilinear-transformed analog Butterworth of order n with the cutoff pre-warped: what a
// cascade of cookbook pass sections with Butterworth Qs must equal.
double butterworthDb(bool lowPass, int order, double f0, double f, double fs) {
    const double ratio = std::tan(kPi * f / fs) / std::tan(kPi * f0 / fs);
    const double x = lowPass ? ratio : 1.0 / ratio;
    return -10.0 * std::log10(1.0 + std::pow(x, 2.0 * order));
}

std::vector<double> logSpaced(double from, double to, int count) {
    std::vector<double> result;
    for (int i = 0; i < count; ++i) {
        result.push_back(from * std::pow(to / from, i / (count - 1.0)));
    }
    return result;
}

// --- Measurement: the impulse response of the prepared effect (both channels), processed in
// blocks of the given size, and its DTFT at arbitrary frequencies. ---
std::vector<std::vector<float>> impulseResponse(EqEffect& eq, uint32_t block, size_t length) {
    AudioBuffer buffer(2, block);
    std::vector<std::vector<float>> ir(2, std::vector<float>(length));
    for (size_t start = 0; start < length; start += block) {
        const auto frames = static_cast<uint32_t>(std::min<size_t>(block, length - start));
        for (uint32_t c = 0; c < 2; ++c) {
            std::fill_n(buffer.channel(c), block, 0.0f);
            if (start == 0) {
                buffer.channel(c)[0] = 1.0f;
            }
        }
        eq.process(buffer.block(frames));
        for (uint32_t c = 0; c < 2; ++c) {
            std::copy_n(buffer.channel(c), frames, ir[c].begin() + static_cast<long>(start));
        }
    }
    return ir;
}

double measuredDb(const std::vector<float>& ir, double f, double fs) {
    const std::complex<double> rotation = std::polar(1.0, -2.0 * kPi * f / fs);
    std::complex<double> phasor = 1.0;
    std::complex<double> sum = 0.0;
    for (const float h : ir) {
        sum += static_cast<double>(h) * phasor;
        phasor *= rotation;
    }
    return 20.0 * std::log10(std::abs(sum) + 1e-300);
}

// The float output resolves a response to about -120 dB; below -100 dB a dB difference says
// nothing about the filter, so there the measured response only has to be that small too.
constexpr double kToleranceDb = 0.05;
constexpr double kResolvableDb = -100.0;

// Largest deviation seen where the response is resolvable, for the test report.
double worstDeviationDb = 0.0;

void expectResponse(double measured, double expected, const std::string& where) {
    if (expected > kResolvableDb) {
        EXPECT_NEAR(measured, expected, kToleranceDb) << where;
        worstDeviationDb = std::max(worstDeviationDb, std::abs(measured - expected));
    } else {
        EXPECT_LT(measured, kResolvableDb + 3.0) << where;
    }
}

void setBand(EqEffect& eq, int band, Type type, float f, float gainDb, float q, float slope) {
    auto& p = eq.parameters();
    p.set(EqEffect::parameterIndex(band, EqEffect::kType), static_cast<float>(type));
    p.set(EqEffect::parameterIndex(band, EqEffect::kFrequencyHz), f);
    p.set(EqEffect::parameterIndex(band, EqEffect::kGainDb), gainDb);
    p.set(EqEffect::parameterIndex(band, EqEffect::kQ), q);
    p.set(EqEffect::parameterIndex(band, EqEffect::kSlopeDb), slope);
}

size_t impulseLength(double rate) {
    return static_cast<size_t>(rate / 2.0);
}  // 0.5 s

struct BandCase {
    Type type;
    float frequency;
    float gainDb;
    float q;
    const char* name;
};

// One setting per type, away from the defaults, in bands other than the first so the band
// index mapping is exercised as well.
const BandCase kBandCases[] = {
    {Type::Peak, 1000.0f, 9.0f, 1.5f, "peak"},
    {Type::Peak, 120.0f, -15.0f, 4.0f, "peak cut"},
    {Type::LowShelf, 200.0f, -6.0f, 0.7071f, "lowshelf"},
    {Type::HighShelf, 5000.0f, 6.0f, 1.0f, "highshelf"},
    {Type::LowPass, 2000.0f, 0.0f, 2.0f, "lowpass"},
    {Type::HighPass, 300.0f, 0.0f, 0.5f, "highpass"},
    {Type::BandPass, 800.0f, 0.0f, 4.0f, "bandpass"},
    {Type::Notch, 3000.0f, 0.0f, 2.0f, "notch"},
};

using RateAndBlock = std::tuple<double, uint32_t>;
class EqEffectAt : public ::testing::TestWithParam<RateAndBlock> {};

TEST_P(EqEffectAt, EveryBandTypeMatchesTheCookbookResponseWithin005Db) {
    const auto [rate, block] = GetParam();
    worstDeviationDb = 0.0;
    int band = 0;
    for (const BandCase& bc : kBandCases) {
        band = (band + 3) % EqEffect::kBands;
        EqEffect eq;
        setBand(eq, band, bc.type, bc.frequency, bc.gainDb, bc.q, 12.0f);
        eq.prepare({rate, block, 2});
        const auto ir = impulseResponse(eq, block, impulseLength(rate));
        const CookbookSection oracle = cookbook(bc.type, rate, bc.frequency, bc.q, bc.gainDb);
        for (const double f : logSpaced(20.0, 0.8 * rate / 2.0, 24)) {
            const double expected = 20.0 * std::log10(std::abs(oracle.response(f, rate)));
            for (int c = 0; c < 2; ++c) {
                expectResponse(measuredDb(ir[c], f, rate), expected,
                               std::string(bc.name) + " at " + std::to_string(f) + " Hz, channel " +
                                   std::to_string(c));
            }
        }
    }
    RecordProperty("worst_deviation_db", std::to_string(worstDeviationDb));
}

TEST_P(EqEffectAt, TheResponseTheWindowDrawsEqualsTheMeasuredResponseWithin01Db) {
    // EqEffect::responseDb is what the EQ curve over the spectrum shows: every band type (and
    // steep pass filters, and all eight bands at once) against the rendered impulse response at
    // 100 log-spaced points from 20 Hz to 20 kHz.
    const auto [rate, block] = GetParam();
    std::vector<std::vector<BandCase>> settings;
    for (const BandCase& bc : kBandCases) {
        settings.push_back({bc});
    }
    settings.push_back({{Type::LowPass, 8000.0f, 0.0f, 0.7071f, "lowpass 48"}});
    settings.push_back({{Type::HighPass, 60.0f, 0.0f, 0.7071f, "highpass 24"}});
    settings.push_back(std::vector<BandCase>(std::begin(kBandCases), std::end(kBandCases)));
    for (const auto& bands : settings) {
        EqEffect eq;
        for (size_t b = 0; b < bands.size(); ++b) {
            const float slope = std::string(bands[b].name).find("48") != std::string::npos ? 48.0f
                                : std::string(bands[b].name).find("24") != std::string::npos
                                    ? 24.0f
                                    : 12.0f;
            setBand(eq, static_cast<int>(b), bands[b].type, bands[b].frequency, bands[b].gainDb,
                    bands[b].q, slope);
        }
        eq.prepare({rate, block, 2});
        const auto ir = impulseResponse(eq, block, impulseLength(rate));
        for (const double f : logSpaced(20.0, 20000.0, 100)) {
            const double drawn = EqEffect::responseDb(eq.parameters(), rate, f);
            const double measured = measuredDb(ir[0], f, rate);
            const std::string where = std::string(bands.size() == 1 ? bands[0].name : "all") +
                                      " at " + std::to_string(f) + " Hz";
            if (drawn > kResolvableDb) {
                EXPECT_NEAR(measured, drawn, 0.1) << where;
            } else {
                EXPECT_LT(measured, kResolvableDb + 3.0) << where;
            }
        }
    }
}

TEST_P(EqEffectAt, PeakingEqGainAtCentreEqualsGainParameter) {
    const auto [rate, block] = GetParam();
    EqEffect eq;
    setBand(eq, 5, Type::Peak, 2500.0f, -12.0f, 3.0f, 12.0f);
    eq.prepare({rate, block, 2});
    const auto ir = impulseResponse(eq, block, impulseLength(rate));
    EXPECT_NEAR(measuredDb(ir[0], 2500.0, rate), -12.0, kToleranceDb);
}

TEST_P(EqEffectAt, PassFiltersAreButterworthMinus301DbAtCutoffForEverySlope) {
    const auto [rate, block] = GetParam();
    worstDeviationDb = 0.0;
    double worstCutoffDb = 0.0;
    for (const Type type : {Type::LowPass, Type::HighPass}) {
        for (const int slope : {12, 24, 36, 48}) {
            for (const float cutoff : {100.0f, 1000.0f, 10000.0f}) {
                EqEffect eq;
                // q stays at its default 0.7071: the Butterworth Q of a 12 dB/oct section.
                setBand(eq, 2, type, cutoff, 0.0f, 0.7071f, static_cast<float>(slope));
                eq.prepare({rate, block, 2});
                const auto ir = impulseResponse(eq, block, impulseLength(rate));
                const bool low = type == Type::LowPass;
                const std::string name = std::string(low ? "lowpass " : "highpass ") +
                                         std::to_string(slope) + " dB/oct at " +
                                         std::to_string(cutoff) + " Hz";
                const double atCutoff = measuredDb(ir[0], cutoff, rate);
                EXPECT_NEAR(atCutoff, -3.0103, 0.01) << name;
                worstCutoffDb = std::max(worstCutoffDb, std::abs(atCutoff + 3.0103));
                for (const double f : logSpaced(20.0, 0.8 * rate / 2.0, 24)) {
                    expectResponse(measuredDb(ir[0], f, rate),
                                   butterworthDb(low, slope / 6, cutoff, f, rate),
                                   name + ", at " + std::to_string(f) + " Hz");
                }
            }
        }
    }
    RecordProperty("worst_deviation_db", std::to_string(worstDeviationDb));
    RecordProperty("worst_cutoff_error_db", std::to_string(worstCutoffDb));
}

TEST_P(EqEffectAt, ChangesWhileRunningGlideToExactlyTheNewResponse) {
    const auto [rate, block] = GetParam();
    EqEffect eq;
    setBand(eq, 6, Type::Peak, 1000.0f, 6.0f, 0.7071f, 12.0f);
    eq.prepare({rate, block, 2});
    AudioBuffer buffer(2, block);
    const auto settle = [&] {  // 100 ms of silence: five ramps
        for (uint32_t done = 0; done < static_cast<uint32_t>(0.1 * rate); done += block) {
            buffer.block().clear();
            eq.process(buffer.block());
        }
    };
    settle();
    // Frequency, gain and Q move (smoothed); then the type changes too (crossfaded).
    setBand(eq, 6, Type::Peak, 4000.0f, -9.0f, 2.5f, 12.0f);
    settle();
    auto ir = impulseResponse(eq, block, impulseLength(rate));
    CookbookSection oracle = cookbook(Type::Peak, rate, 4000.0, 2.5, -9.0);
    for (const double f : logSpaced(20.0, 0.8 * rate / 2.0, 24)) {
        expectResponse(measuredDb(ir[1], f, rate),
                       20.0 * std::log10(std::abs(oracle.response(f, rate))),
                       "peak after the glide, at " + std::to_string(f) + " Hz");
    }
    setBand(eq, 6, Type::HighShelf, 4000.0f, -9.0f, 2.5f, 12.0f);
    settle();
    ir = impulseResponse(eq, block, impulseLength(rate));
    oracle = cookbook(Type::HighShelf, rate, 4000.0, 2.5, -9.0);
    for (const double f : logSpaced(20.0, 0.8 * rate / 2.0, 24)) {
        expectResponse(measuredDb(ir[1], f, rate),
                       20.0 * std::log10(std::abs(oracle.response(f, rate))),
                       "high shelf after the crossfade, at " + std::to_string(f) + " Hz");
    }
}

TEST_P(EqEffectAt, AllBandsOffIsBitExact) {
    const auto [rate, block] = GetParam();
    EqEffect eq;
    for (int b = 0; b < EqEffect::kBands; ++b) {
        // Settings that would change the sound if the band were on.
        setBand(eq, b, Type::Off, 300.0f * (b + 1), 12.0f, 4.0f, 24.0f);
    }
    eq.prepare({rate, block, 2});
    ASSERT_TRUE(
        test::passesThroughBitExact([&](AudioBlock audio) { eq.process(audio); }, block, 7));
}

TEST_P(EqEffectAt, BypassedSlotIsBitExact) {
    const auto [rate, block] = GetParam();
    auto eq = std::make_unique<EqEffect>();
    setBand(*eq, 0, Type::HighPass, 80.0f, 0.0f, 0.7071f, 48.0f);
    setBand(*eq, 3, Type::Peak, 3000.0f, 6.0f, 1.0f, 12.0f);
    EffectSlot slot(std::move(eq), true);
    slot.prepare({rate, block, 2});
    ASSERT_TRUE(
        test::passesThroughBitExact([&](AudioBlock audio) { slot.process(audio); }, block, 11));
}

// l1 norm (sum of |h[n]|: the worst-case gain for any input) of a cascade of cookbook
// sections, from its impulse response run in double precision (direct form I) for `length`.
double cascadeL1(const std::vector<CookbookSection>& sections, size_t length) {
    std::vector<std::array<double, 4>> state(sections.size(), {0.0, 0.0, 0.0, 0.0});
    double l1 = 0.0;
    for (size_t n = 0; n < length; ++n) {
        double x = n == 0 ? 1.0 : 0.0;
        for (size_t s = 0; s < sections.size(); ++s) {
            const CookbookSection& c = sections[s];
            auto& [x1, x2, y1, y2] = state[s];
            const double y = (c.b0 * x + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2) / c.a0;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            x = y;
        }
        l1 += std::abs(x);
    }
    return l1;
}

// Largest l1 norm of one band over its parameter space: every single-section type at gains
// +-24 dB and Q from 0.1 to 18, and the 24/36/48 dB/oct Butterworth cascades, at centre
// frequencies from 20 Hz to near Nyquist. Each response runs for 40 time constants of its
// slowest pole pair (tau = 2Q / w0, or 1 / (Q w0) for the slow real pole at low Q).
double worstBandL1(double fs) {
    double worst = 1.0;
    const Type types[] = {Type::Peak,     Type::LowShelf, Type::HighShelf, Type::LowPass,
                          Type::HighPass, Type::BandPass, Type::Notch};
    for (const double f0 : {20.0, 1000.0, 0.45 * fs}) {
        const double w0 = 2.0 * kPi * f0 / fs;
        for (const Type type : types) {
            for (const double gain : {-24.0, 24.0}) {
                for (const double q : {0.1, 0.3, 0.7071, 2.0, 6.0, 18.0}) {
                    const auto length =
                        static_cast<size_t>(40.0 * std::max(2.0 * q, 1.0 / q) / w0) + 16;
                    worst = std::max(worst, cascadeL1({cookbook(type, fs, f0, q, gain)}, length));
                }
            }
        }
        for (const Type type : {Type::LowPass, Type::HighPass}) {
            for (const int sections : {2, 3, 4}) {
                std::vector<CookbookSection> cascade;
                for (int k = 0; k < sections; ++k) {  // Butterworth pole-pair Qs
                    const double q = 1.0 / (2.0 * std::cos(kPi * (2 * k + 1) / (4.0 * sections)));
                    cascade.push_back(cookbook(type, fs, f0, q, 0.0));
                }
                worst = std::max(worst, cascadeL1(cascade, static_cast<size_t>(200.0 / w0) + 16));
            }
        }
    }
    return worst;
}

TEST_P(EqEffectAt, RandomSettingsEveryBlockStayFiniteAndWithinTheStaticGainBound) {
    const auto [rate, block] = GetParam();
    EqEffect eq;
    eq.prepare({rate, block, 2});
    std::mt19937 rng(31);
    constexpr float kAmplitude = 1e-4f;
    std::uniform_real_distribution<float> noise(-kAmplitude, kAmplitude);

    // Bound: eight bands of up to +24 dB with Q up to 18 may legitimately amplify by ~200 dB,
    // so what the input allows is large. A static cascade's output is at most the product of
    // its bands' l1 norms times the input peak (Young's inequality); a crossfade between two
    // shapes is a convex mix and adds nothing; worstBandL1 covers single sections and the
    // Butterworth cascades alike. So no step may exceed twice that output bound. (The time-varying
    // filter is not an LTI system, so this asserts it stays inside the static envelope: any
    // instability or blow-up grows past it within seconds.) The grid may miss the exact worst
    // setting by a little: allow a factor 2 per band.
    const double bandL1 = worstBandL1(rate);
    const double allowed = 2.0 * kAmplitude * std::pow(2.0 * bandL1, EqEffect::kBands);
    RecordProperty("worst_band_l1", std::to_string(bandL1));
    AudioBuffer buffer(2, block);
    float previous = 0.0f;
    const auto blocks = static_cast<int>(10.0 * rate / block);
    for (int b = 0; b < blocks; ++b) {
        test::randomiseParameters(eq.parameters(), rng);
        for (uint32_t i = 0; i < block; ++i) {
            buffer.channel(0)[i] = noise(rng);
            buffer.channel(1)[i] = noise(rng);
        }
        eq.process(buffer.block());
        for (uint32_t i = 0; i < block; ++i) {
            ASSERT_TRUE(std::isfinite(buffer.channel(0)[i]) && std::isfinite(buffer.channel(1)[i]))
                << "block " << b << " sample " << i;
            ASSERT_LE(std::abs(buffer.channel(0)[i] - previous), allowed);
            previous = buffer.channel(0)[i];
        }
    }
}

TEST_P(EqEffectAt, SwitchingABandOnAndOffCrossfadesInsteadOfJumping) {
    const auto [rate, block] = GetParam();
    EqEffect eq;
    eq.prepare({rate, block, 2});
    // A 1414 Hz tone against a 48 dB/oct low-pass at 20 Hz: on, the band removes the tone
    // (-290 dB); off, it passes it. Toggled every 100 ms (never in step with the tone's
    // period), hard switching would step by up to the tone's amplitude at once.
    constexpr double kAmplitude = 0.5;
    const double w = 2.0 * kPi * 1000.0 * std::numbers::sqrt2 / rate;
    // Bound: the output is (1 - f) * dry + f * lowpassed, f moving 1 / F per sample over the
    // crossfade of F frames, so a step is at most the tone's own step, plus amplitude / F,
    // plus the low-passed path's own steps: whatever a switched-on tone leaves below 20 Hz,
    // at most the amplitude times l1 (< 2 for a Butterworth low-pass) moving at 20 Hz, i.e.
    // 2 * amplitude * 2 pi 20 / fs per sample.
    const double fadeFrames = std::floor(rate * EqEffect::kRampSeconds);
    const double allowed =
        kAmplitude * (2.0 * std::sin(w / 2.0) + 1.0 / fadeFrames + 2.0 * 2.0 * kPi * 20.0 / rate) +
        1e-6;
    auto& p = eq.parameters();
    setBand(eq, 4, Type::Off, 20.0f, 0.0f, 0.7071f, 48.0f);
    AudioBuffer buffer(2, block);
    double phase = 0.0;
    float previous = 0.0f;
    bool sawSilence = false;
    const auto toggleEvery = static_cast<uint64_t>(0.1 * rate);
    uint64_t done = 0;
    for (int b = 0; b < static_cast<int>(1.0 * rate / block); ++b, done += block) {
        const bool on = (done / toggleEvery) % 2 == 1;
        p.set(EqEffect::parameterIndex(4, EqEffect::kType),
              static_cast<float>(on ? Type::LowPass : Type::Off));
        for (uint32_t i = 0; i < block; ++i, phase += w) {
            buffer.channel(0)[i] = static_cast<float>(kAmplitude * std::sin(phase));
            buffer.channel(1)[i] = buffer.channel(0)[i];
        }
        eq.process(buffer.block());
        for (uint32_t i = 0; i < block; ++i) {
            ASSERT_LE(std::abs(buffer.channel(0)[i] - previous), allowed)
                << "block " << b << " sample " << i;
            previous = buffer.channel(0)[i];
            sawSilence = sawSilence || (on && (done % toggleEvery) > toggleEvery / 2 &&
                                        std::abs(previous) < 1e-4f);
        }
    }
    EXPECT_TRUE(sawSilence) << "the low-pass never took effect";
}

INSTANTIATE_TEST_SUITE_P(RatesAndBlocks, EqEffectAt,
                         ::testing::Combine(::testing::Values(44100.0, 48000.0, 96000.0),
                                            ::testing::Values(1u, 64u, 1024u)));

TEST(EqEffectTest, MetadataMatchesDesign) {
    const EffectInfo& info = EqEffect::staticInfo();
    EXPECT_EQ(info.typeId, "eq");
    ASSERT_EQ(info.parameters.size(), 40u);
    EXPECT_NE(EffectFactory::create("eq"), nullptr);
    const std::vector<std::string> types = {"off",     "peak",     "lowshelf", "highshelf",
                                            "lowpass", "highpass", "bandpass", "notch"};
    for (int b = 0; b < EqEffect::kBands; ++b) {
        const std::string prefix = "b" + std::to_string(b + 1) + ".";
        const auto& type = info.parameters[EqEffect::parameterIndex(b, EqEffect::kType)];
        EXPECT_EQ(type.id, prefix + "type");
        EXPECT_EQ(type.choices, types);
        EXPECT_EQ(type.defaultValue, 0.0f);
        const auto& f = info.parameters[EqEffect::parameterIndex(b, EqEffect::kFrequencyHz)];
        EXPECT_EQ(f.id, prefix + "freq_hz");
        EXPECT_EQ(f.minValue, 20.0f);
        EXPECT_EQ(f.maxValue, 20000.0f);
        EXPECT_EQ(f.skew, ParameterSkew::Logarithmic);
        const auto& g = info.parameters[EqEffect::parameterIndex(b, EqEffect::kGainDb)];
        EXPECT_EQ(g.id, prefix + "gain_db");
        EXPECT_EQ(g.minValue, -24.0f);
        EXPECT_EQ(g.maxValue, 24.0f);
        EXPECT_EQ(g.defaultValue, 0.0f);
        const auto& q = info.parameters[EqEffect::parameterIndex(b, EqEffect::kQ)];
        EXPECT_EQ(q.id, prefix + "q");
        EXPECT_EQ(q.minValue, 0.1f);
        EXPECT_EQ(q.maxValue, 18.0f);
        EXPECT_EQ(q.defaultValue, 0.7071f);
        const auto& s = info.parameters[EqEffect::parameterIndex(b, EqEffect::kSlopeDb)];
        EXPECT_EQ(s.id, prefix + "slope_db");
        EXPECT_EQ(s.minValue, 12.0f);
        EXPECT_EQ(s.maxValue, 48.0f);
        EXPECT_EQ(s.step, 12.0f);
        EXPECT_EQ(s.constrain(29.0f), 24.0f);
    }
}

}  // namespace
}  // namespace liverack::core
