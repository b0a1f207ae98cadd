// SpectrumAnalyzer against theory: a sine on bin k peaks in bin k; an off-bin sine's frequency is
// recovered within 0.05 bin; a full-scale sine reads 0 dBFS (flat top: +-0.1 dB anywhere between
// bins); white noise reads 4 sigma^2 ENBW / N per bin with each window's published equivalent
// noise bandwidth. At 44.1, 48 and 96 kHz.
#include "core/analysis/SpectrumAnalyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tests/core/analysis/AnalysisTestSignals.h"

namespace liverack::core {
namespace {

constexpr double kRates[] = {44100.0, 48000.0, 96000.0};
constexpr SpectrumWindow kWindows[] = {SpectrumWindow::Hann, SpectrumWindow::BlackmanHarris,
                                       SpectrumWindow::FlatTop, SpectrumWindow::Rectangular};

const char* nameOf(SpectrumWindow window) {
    switch (window) {
        case SpectrumWindow::Hann:
            return "Hann";
        case SpectrumWindow::BlackmanHarris:
            return "Blackman-Harris";
        case SpectrumWindow::FlatTop:
            return "flat top";
        case SpectrumWindow::Rectangular:
            break;
    }
    return "rectangular";
}

struct Reading {
    std::vector<float> db;
    float peakHz;
    float peakDb;
};

// Feeds exactly one frame's worth after a warm-up, with no averaging, and returns its spectrum.
Reading analyse(double rate, uint32_t size, SpectrumWindow window, const std::vector<float>& x) {
    SpectrumAnalyzer analyzer;
    EXPECT_TRUE(analyzer.prepare(rate).ok());
    analyzer.configure({size, window, 0.5f, 0.0f});
    analyzer.process(x.data(), x.size());
    EXPECT_GT(analyzer.framesComputed(), 0u);
    Reading run;
    run.db.assign(analyzer.magnitudeDb(), analyzer.magnitudeDb() + analyzer.binCount());
    run.peakHz = analyzer.peakHz();
    run.peakDb = analyzer.peakDb();
    return run;
}

TEST(SpectrumAnalyzerTest, SineOnBinKPeaksInBinKAtZeroDbfs) {
    for (double rate : kRates) {
        for (SpectrumWindow window : kWindows) {
            for (uint32_t size : {512u, 4096u, 32768u}) {
                const uint32_t k = size / 16 + 3;
                const double hz = k * rate / size;
                const Reading run =
                    analyse(rate, size, window, testsignals::sine(hz, 1.0, rate, size * 2));
                const auto peak = std::max_element(run.db.begin() + 1, run.db.end() - 1);
                EXPECT_EQ(uint32_t(peak - run.db.begin()), k) << nameOf(window) << " " << size;
                EXPECT_NEAR(*peak, 0.0, 0.01) << nameOf(window) << " " << size;
                EXPECT_NEAR(run.peakHz, hz, 0.001 * rate / size) << nameOf(window) << " " << size;
            }
        }
    }
}

TEST(SpectrumAnalyzerTest, OffBinSineFrequencyIsFoundWithinAHundredthOfABin) {
    for (double rate : kRates) {
        for (SpectrumWindow window : kWindows) {
            for (uint32_t size : {1024u, 8192u}) {
                const double binHz = rate / size;
                for (double offset : {0.1, 0.25, 0.37, 0.5, 0.63, 0.9}) {
                    const double hz = (size / 8 + offset) * binHz;
                    const Reading run = analyse(rate, size, window,
                                                testsignals::sine(hz, 0.5, rate, size * 2, 0.7));
                    EXPECT_NEAR(run.peakHz, hz, 0.05 * binHz)
                        << nameOf(window) << " " << size << " offset " << offset;
                    // The window's own response corrects the scalloping loss.
                    EXPECT_NEAR(run.peakDb, 20.0 * std::log10(0.5), 0.1)
                        << nameOf(window) << " " << size << " offset " << offset;
                }
            }
        }
    }
}

TEST(SpectrumAnalyzerTest, FullScaleSineReadsZeroDbfsWithinATenthOfADbWithFlatTop) {
    for (double rate : kRates) {
        const uint32_t size = 4096;
        for (double offset = 0.0; offset <= 1.0; offset += 0.05) {
            const double hz = (300 + offset) * rate / size;
            const Reading run = analyse(rate, size, SpectrumWindow::FlatTop,
                                        testsignals::sine(hz, 1.0, rate, size * 2));
            EXPECT_NEAR(*std::max_element(run.db.begin(), run.db.end()), 0.0, 0.1) << offset;
        }
    }
}

TEST(SpectrumAnalyzerTest, WhiteNoiseLevelMatchesEachWindowsEquivalentNoiseBandwidth) {
    // Published ENBW in bins (Harris 1978; Heinzel, Ruediger and Schilling 2002 for the flat top).
    struct Case {
        SpectrumWindow window;
        double enbwBins;
    };
    const Case cases[] = {{SpectrumWindow::Rectangular, 1.0},
                          {SpectrumWindow::Hann, 1.5},
                          {SpectrumWindow::BlackmanHarris, 2.0044},
                          {SpectrumWindow::FlatTop, 3.7702}};
    const double sigma = 0.1;
    const uint32_t size = 2048;
    for (double rate : kRates) {
        const std::vector<float> noise = testsignals::whiteNoise(sigma, size * 200, uint32_t(rate));
        for (const auto& c : cases) {
            SpectrumAnalyzer analyzer;
            ASSERT_TRUE(analyzer.prepare(rate).ok());
            analyzer.configure({size, c.window, 0.5f, 0.0f});
            // The mean of the linear per-bin power over frames and bins (10%..90% of Nyquist).
            double sum = 0.0;
            size_t terms = 0;
            analyzer.process(noise.data(), noise.size(), [&] {
                for (uint32_t k = size / 20; k < size * 9 / 20; ++k) {
                    sum += std::pow(10.0, analyzer.magnitudeDb()[k] / 10.0);
                    ++terms;
                }
            });
            const double measuredDb = 10.0 * std::log10(sum / terms);
            const double theoryDb = 10.0 * std::log10(4.0 * sigma * sigma * c.enbwBins / size);
            EXPECT_NEAR(measuredDb, theoryDb, 0.5) << nameOf(c.window) << " at " << rate;
        }
    }
}

TEST(SpectrumAnalyzerTest, HopIsTheFftSizeTimesOneMinusOverlap) {
    SpectrumAnalyzer analyzer;
    ASSERT_TRUE(analyzer.prepare(48000.0).ok());
    for (float overlap : {0.5f, 0.75f, 0.875f}) {
        analyzer.configure({8192, SpectrumWindow::Hann, overlap, 0.0f});
        const uint64_t before = analyzer.framesComputed();
        const std::vector<float> x(8192 * 4, 0.0f);
        analyzer.process(x.data(), x.size());
        EXPECT_EQ(analyzer.framesComputed() - before, uint64_t(4.0 / (1.0 - overlap)));
    }
}

TEST(SpectrumAnalyzerTest, SettingsAreClampedToTheSupportedRanges) {
    SpectrumAnalyzer analyzer;
    ASSERT_TRUE(analyzer.prepare(48000.0).ok());
    analyzer.configure({100000, SpectrumWindow::Hann, 0.99f, -1.0f});
    EXPECT_EQ(analyzer.fftSize(), 32768u);
    EXPECT_FLOAT_EQ(analyzer.settings().overlap, 0.875f);
    EXPECT_FLOAT_EQ(analyzer.settings().averagingSeconds, 0.0f);
    analyzer.configure({3000, SpectrumWindow::Hann, 0.1f, 1.0f});
    EXPECT_EQ(analyzer.fftSize(), 2048u);
    EXPECT_FLOAT_EQ(analyzer.settings().overlap, 0.5f);
    analyzer.configure({1, SpectrumWindow::Hann, 0.5f, 1.0f});
    EXPECT_EQ(analyzer.fftSize(), 512u);
}

TEST(SpectrumAnalyzerTest, AverageDecaysByOneOverEPerTimeConstant) {
    // Power average with time constant tau: once the frames hold only silence, the average falls
    // by e^{-hop/tau} per frame, 4.343 dB per tau.
    for (double rate : kRates) {
        const uint32_t size = 1024;
        const float tau = 0.25f;
        SpectrumAnalyzer analyzer;
        ASSERT_TRUE(analyzer.prepare(rate).ok());
        analyzer.configure({size, SpectrumWindow::Hann, 0.75f, tau});
        const auto tone = testsignals::sine(64 * rate / size, 1.0, rate, size_t(rate));
        analyzer.process(tone.data(), tone.size());
        const std::vector<float> silence(2 * size, 0.0f);
        analyzer.process(silence.data(), silence.size());  // the latest frame is all silence
        const double first = analyzer.magnitudeDb()[64];
        const int frames = 40;
        for (int f = 0; f < frames; ++f) {
            analyzer.process(silence.data(), analyzer.hopFrames());
        }
        const double seconds = frames * analyzer.hopFrames() / rate;
        EXPECT_NEAR(analyzer.magnitudeDb()[64] - first,
                    -10.0 * std::log10(std::exp(1.0)) * seconds / tau, 0.01)
            << rate;
    }
}

TEST(SpectrumAnalyzerTest, InfiniteAveragingIsTheMeanOfEveryFrame) {
    // White noise: each frame's bin power scatters like chi-squared with 2 degrees of freedom
    // (std = mean); the mean of F frames scatters with std = mean / sqrt(F). With F = 400 the
    // bins sit within 4.3 / 20 = 0.22 dB (1 sigma) of 4 sigma^2 ENBW / N.
    const double sigma = 0.1;
    const uint32_t size = 1024;
    SpectrumAnalyzer analyzer;
    ASSERT_TRUE(analyzer.prepare(48000.0).ok());
    analyzer.configure({size, SpectrumWindow::Hann, 0.5f, std::numeric_limits<float>::infinity()});
    const std::vector<float> noise = testsignals::whiteNoise(sigma, size / 2 * 401, 7);
    analyzer.process(noise.data(), noise.size());
    ASSERT_EQ(analyzer.framesComputed(), 401u);
    const double theoryDb = 10.0 * std::log10(4.0 * sigma * sigma * 1.5 / size);
    double sum = 0.0;
    double sumSquares = 0.0;
    size_t bins = 0;
    for (uint32_t k = size / 20; k < size * 9 / 20; ++k) {
        const double deviation = analyzer.magnitudeDb()[k] - theoryDb;
        sum += deviation;
        sumSquares += deviation * deviation;
        ++bins;
    }
    const double mean = sum / bins;
    const double spread = std::sqrt(sumSquares / bins - mean * mean);
    EXPECT_NEAR(mean, 0.0, 0.1);
    // An exponential average over a few frames would scatter by several dB.
    EXPECT_LT(spread, 0.35);
}

TEST(SpectrumAnalyzerTest, PeakHoldKeepsTheLoudestLevelUntilReset) {
    SpectrumAnalyzer analyzer;
    ASSERT_TRUE(analyzer.prepare(48000.0).ok());
    analyzer.configure({2048, SpectrumWindow::Hann, 0.5f, 0.0f});
    const auto tone = testsignals::sine(100 * 48000.0 / 2048, 0.5, 48000.0, 8192);
    analyzer.process(tone.data(), tone.size());
    const std::vector<float> silence(8192, 0.0f);
    analyzer.process(silence.data(), silence.size());
    EXPECT_NEAR(analyzer.peakHoldDb()[100], 20.0 * std::log10(0.5), 0.01);
    EXPECT_EQ(analyzer.magnitudeDb()[100], SpectrumAnalyzer::kFloorDb);
    analyzer.resetPeakHold();
    EXPECT_EQ(analyzer.peakHoldDb()[100], SpectrumAnalyzer::kFloorDb);
}

TEST(SpectrumAnalyzerTest, SpectrogramColumnPutsASineInTheBandHoldingItsFrequency) {
    for (double rate : kRates) {
        for (uint32_t size : {512u, 8192u}) {
            SpectrumAnalyzer analyzer;
            ASSERT_TRUE(analyzer.prepare(rate).ok());
            analyzer.configure({size, SpectrumWindow::BlackmanHarris, 0.5f, 0.0f});
            const double hz = 1000.0;
            const auto tone = testsignals::sine(hz, 1.0, rate, size * 2);
            analyzer.process(tone.data(), tone.size());
            SpectrogramColumn column{};
            analyzer.fillColumn(column);
            EXPECT_FLOAT_EQ(column.minHz, 20.0f);
            EXPECT_FLOAT_EQ(column.maxHz, float(rate / 2));
            const auto loudest = std::max_element(column.levelDb.begin(), column.levelDb.end()) -
                                 column.levelDb.begin();
            // Band b spans minHz * (maxHz/minHz)^(b/rows) .. ^((b+1)/rows).
            const double ratio = std::log(column.maxHz / column.minHz);
            const double low = column.minHz * std::exp(ratio * loudest / kSpectrogramRows);
            const double high = column.minHz * std::exp(ratio * (loudest + 1) / kSpectrogramRows);
            // The window's main lobe may put the maximum one band off the exact one.
            const double bandRatio = high / low;
            EXPECT_GE(hz, low / (bandRatio * bandRatio)) << size;
            EXPECT_LE(hz, high * bandRatio * bandRatio) << size;
            EXPECT_GT(column.levelDb[loudest], -3.0) << size;
        }
    }
}

TEST(SpectrumAnalyzerTest, ImpossibleRateIsRefusedWithASentence) {
    SpectrumAnalyzer analyzer;
    const Status status = analyzer.prepare(-1.0);
    EXPECT_FALSE(status.ok());
    EXPECT_FALSE(status.error().empty());
}

}  // namespace
}  // namespace liverack::core
