// HalfbandFilter: the designed taps form a half-band (centre 1/2, zeros at even distances,
// symmetric, unity DC gain), the ripple it reports bounds the pass and stop bands of the response
// computed here from the taps by a direct DFT, and the oversampler's stages reach 64 dB.
#include "core/dsp/HalfbandFilter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>

#include "core/dsp/Oversampler.h"

namespace liverack::core {
namespace {

// |H(f)| of an FIR by the direct sum, f a fraction of its rate (the independent oracle).
double magnitude(const std::vector<double>& h, double f) {
    std::complex<double> sum = 0.0;
    for (size_t k = 0; k < h.size(); ++k) {
        sum += h[k] * std::polar(1.0, -2.0 * std::numbers::pi * f * static_cast<double>(k));
    }
    return std::abs(sum);
}

TEST(HalfbandFilterTest, TapsFormASymmetricHalfBandWithUnityDcGain) {
    for (uint32_t pairs : {1u, 2u, 4u, 12u, 20u}) {
        const HalfbandFilter filter(pairs, 0.2);
        const auto h = filter.impulseResponse();
        ASSERT_EQ(h.size(), 4 * pairs - 1);
        const size_t centre = 2 * pairs - 1;
        EXPECT_EQ(h[centre], 0.5);
        double sum = 0.0;
        for (size_t k = 0; k < h.size(); ++k) {
            EXPECT_EQ(h[k], h[h.size() - 1 - k]) << "tap " << k;
            const size_t distance = k > centre ? k - centre : centre - k;
            if (distance != 0 && distance % 2 == 0) {
                EXPECT_EQ(h[k], 0.0) << "tap " << k;
            }
            sum += h[k];
        }
        EXPECT_NEAR(sum, 1.0, 1e-14);
    }
}

TEST(HalfbandFilterTest, ResponseIsMinus6dBAtAQuarterOfTheRateAndSumsToOneAcrossIt) {
    const HalfbandFilter filter(12, 5.0 / 24.0);
    const auto h = filter.impulseResponse();
    EXPECT_NEAR(magnitude(h, 0.25), 0.5, 1e-12);
    for (double f = 0.0; f <= 0.25; f += 0.01) {
        // Zero-phase amplitudes (the magnitudes are those amplitudes where they are positive).
        EXPECT_NEAR(filter.response(f) + filter.response(0.5 - f), 1.0, 1e-12) << f;
        if (filter.response(f) > 0.0) {
            EXPECT_NEAR(filter.response(f), magnitude(h, f), 1e-12) << f;
        }
    }
}

TEST(HalfbandFilterTest, ReportedRippleBoundsPassAndStopBandsOfTheTaps) {
    for (const HalfbandFilter& filter : Oversampler::designs()) {
        const auto h = filter.impulseResponse();
        const double edge = filter.passEdge();
        double passWorst = 0.0;
        double stopWorst = 0.0;
        constexpr int kPoints = 20000;
        for (int k = 0; k <= kPoints; ++k) {
            const double f = edge * k / kPoints;
            passWorst = std::max(passWorst, std::abs(magnitude(h, f) - 1.0));
            stopWorst = std::max(stopWorst, magnitude(h, 0.5 - f));
        }
        EXPECT_LE(passWorst, filter.ripple() * 1.001) << filter.pairs() << " pairs";
        EXPECT_LE(stopWorst, filter.ripple() * 1.001) << filter.pairs() << " pairs";
        RecordProperty("stop_band_db_" + std::to_string(filter.taps()) + "_taps",
                       std::to_string(20.0 * std::log10(stopWorst)));
    }
}

TEST(HalfbandFilterTest, OversamplerStagesReach64dBWithTheirTapCounts) {
    const auto& stages = Oversampler::designs();
    EXPECT_EQ(stages[0].taps(), 47u);
    EXPECT_EQ(stages[1].taps(), 15u);
    EXPECT_EQ(stages[2].taps(), 7u);
    for (const HalfbandFilter& filter : stages) {
        EXPECT_LT(filter.ripple(), std::pow(10.0, -64.0 / 20.0)) << filter.taps() << " taps";
    }
}

TEST(HalfbandFilterTest, MoreTapsBuyMoreRejectionOverTheSameBand) {
    double previous = 1.0;
    for (uint32_t pairs : {4u, 8u, 12u, 16u}) {
        const HalfbandFilter filter(pairs, 5.0 / 24.0);
        EXPECT_LT(filter.ripple(), previous) << pairs << " pairs";
        previous = filter.ripple();
    }
}

}  // namespace
}  // namespace liverack::core
