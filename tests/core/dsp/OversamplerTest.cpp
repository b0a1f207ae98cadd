// Oversampler: a round trip is a linear-phase filter that delays by exactly the reported latency
// and is flat within 0.05 dB to 20 kHz at 48 kHz, the 8x signal carries the input at unity gain
// with its images at least 63 dB down, whatever would fold into the pass band on the way down is
// at least 63 dB down (the design gives 64), block boundaries change nothing, and nothing
// allocates.
#include "core/dsp/Oversampler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <complex>
#include <cstdlib>
#include <memory>
#include <new>
#include <numbers>
#include <vector>

namespace {

std::atomic<bool> counting{false};
std::atomic<uint64_t> allocations{0};

void* countedNew(size_t size) {
    if (counting.load(std::memory_order_relaxed)) {
        allocations.fetch_add(1, std::memory_order_relaxed);
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}

}  // namespace

// Every allocation through operator new in this program is counted while `counting` is set.
void* operator new(size_t size) {
    return countedNew(size);
}
void* operator new[](size_t size) {
    return countedNew(size);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
    std::free(p);
}

namespace liverack::core {
namespace {

constexpr double kRate = 48000.0;
constexpr uint32_t kLatency = Oversampler::kLatencyFrames;

// The 8x signal in time order, from the two halves upsample() leaves.
std::vector<float> interleaved(Oversampler& os, uint32_t frames) {
    std::vector<float> x(8 * frames);
    for (uint32_t m = 0; m < 4 * frames; ++m) {
        x[2 * m] = os.evenSamples()[m];
        x[2 * m + 1] = os.oddSamples()[m];
    }
    return x;
}

// Up then down, `chunk` frames at a time; optionally keeps the 8x signal.
std::vector<float> roundTrip(const std::vector<float>& in, uint32_t chunk,
                             std::vector<float>* oversampled = nullptr) {
    auto os = std::make_unique<Oversampler>();
    std::vector<float> out(in.size());
    for (size_t start = 0; start < in.size(); start += chunk) {
        const auto n = static_cast<uint32_t>(std::min<size_t>(chunk, in.size() - start));
        os->upsample(in.data() + start, n);
        if (oversampled != nullptr) {
            const auto x = interleaved(*os, n);
            oversampled->insert(oversampled->end(), x.begin(), x.end());
        }
        os->downsample(n, out.data() + start);
    }
    return out;
}

std::vector<float> sine(size_t frames, double hz, double rate, double amplitude = 0.5) {
    std::vector<float> x(frames);
    for (size_t i = 0; i < frames; ++i) {
        x[i] = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * hz * i / rate));
    }
    return x;
}

// The DFT of x[begin, begin + n) at `hz` as amplitude and phase (a single-bin DFT).
std::complex<double> bin(const std::vector<float>& x, size_t begin, size_t n, double hz,
                         double rate) {
    std::complex<double> sum = 0.0;
    for (size_t k = 0; k < n; ++k) {
        sum +=
            static_cast<double>(x[begin + k]) *
            std::polar(1.0, -2.0 * std::numbers::pi * hz * static_cast<double>(begin + k) / rate);
    }
    return 2.0 * sum / static_cast<double>(n);
}

TEST(OversamplerTest, RoundTripImpulseResponseIsSymmetricAboutTheReportedLatency) {
    EXPECT_EQ(kLatency, 27u);
    std::vector<float> impulse(256, 0.0f);
    impulse[10] = 1.0f;
    const auto out = roundTrip(impulse, 64);
    size_t peak = 0;
    for (size_t i = 0; i < out.size(); ++i) {
        if (std::abs(out[i]) > std::abs(out[peak])) {
            peak = i;
        }
    }
    EXPECT_EQ(peak, 10 + kLatency);
    // Linear phase: the response is even about its centre (to float rounding).
    for (size_t d = 1; d <= 10 + kLatency; ++d) {
        EXPECT_NEAR(out[peak + d], out[peak - d], 1e-6) << "offset " << d;
    }
    // Causal, and finite: nothing before the input, nothing after twice the latency.
    for (size_t i = 0; i < 10; ++i) {
        EXPECT_EQ(out[i], 0.0f);
    }
    for (size_t i = 10 + 2 * kLatency + 1; i < out.size(); ++i) {
        EXPECT_EQ(out[i], 0.0f) << i;
    }
}

TEST(OversamplerTest, RoundTripIsFlatWithin005dBTo20kHzAt48kHzAndDelaysByTheLatency) {
    constexpr size_t kFrames = 48000;
    constexpr size_t kBegin = 4800;
    constexpr size_t kN = 24000;  // 2 Hz bins: every test frequency is on a bin centre
    for (double hz : {20.0, 100.0, 1000.0, 5000.0, 10000.0, 15000.0, 18000.0, 19000.0, 20000.0}) {
        const auto in = sine(kFrames, hz, kRate);
        const auto out = roundTrip(in, 64);
        const auto a = bin(in, kBegin, kN, hz, kRate);
        const auto b = bin(out, kBegin, kN, hz, kRate);
        const double gainDb = 20.0 * std::log10(std::abs(b) / std::abs(a));
        EXPECT_LT(std::abs(gainDb), 0.05) << hz << " Hz";
        // A pure delay of kLatency samples turns the phase by −2π·hz·kLatency/rate.
        const double expected = -2.0 * std::numbers::pi * hz * kLatency / kRate;
        const double error = std::arg(b / a * std::polar(1.0, -expected));
        EXPECT_LT(std::abs(error), 1e-4) << hz << " Hz";
    }
}

TEST(OversamplerTest, UpsampledSignalHasTheInputAtUnityGainAndImages63dBDown) {
    constexpr size_t kFrames = 12000;
    constexpr size_t kBegin = 2400;  // 8x samples are 8·that
    constexpr size_t kN = 6000;      // 8 Hz bins at the stream rate
    for (double hz : {1000.0, 10000.0, 16000.0, 20000.0}) {
        std::vector<float> x8;
        roundTrip(sine(kFrames, hz, kRate), 64, &x8);
        const double rate8 = 8.0 * kRate;
        const double fundamental = std::abs(bin(x8, 8 * kBegin, 8 * kN, hz, rate8));
        EXPECT_NEAR(20.0 * std::log10(fundamental / 0.5), 0.0, 0.02) << hz << " Hz";
        double worst = 0.0;
        for (int k = 1; k <= 4; ++k) {
            for (double image : {k * kRate - hz, k * kRate + hz}) {
                if (image < 4.0 * kRate) {
                    worst = std::max(worst, std::abs(bin(x8, 8 * kBegin, 8 * kN, image, rate8)));
                }
            }
        }
        const double db = 20.0 * std::log10(worst / fundamental);
        RecordProperty("image_db_" + std::to_string(static_cast<int>(hz)), std::to_string(db));
        EXPECT_LT(db, -63.0) << hz << " Hz";
    }
}

TEST(OversamplerTest, DecimationKeepsWhatWouldAliasIntoThePassBand63dBDown) {
    constexpr uint32_t kFrames = 6000;
    constexpr size_t kBegin = 1200;
    constexpr size_t kN = 4800;  // 10 Hz bins
    const double rate8 = 8.0 * kRate;
    double worstDb = -400.0;
    for (double alias : {100.0, 5000.0, 12000.0, 20000.0}) {
        for (int k = 1; k <= 4; ++k) {
            for (double hz : {k * kRate - alias, k * kRate + alias}) {
                if (hz >= 4.0 * kRate) {
                    continue;
                }
                // A sine at the 8x rate, fed straight to the decimators.
                Oversampler os;
                std::vector<float> out(kFrames);
                const std::vector<float> silence(Oversampler::kMaxFrames, 0.0f);
                for (uint32_t start = 0; start < kFrames; start += Oversampler::kMaxFrames) {
                    const uint32_t n = std::min(Oversampler::kMaxFrames, kFrames - start);
                    os.upsample(silence.data(), n);
                    for (uint32_t m = 0; m < 4 * n; ++m) {
                        const double t = 8.0 * start + 2.0 * m;
                        os.evenSamples()[m] = static_cast<float>(
                            0.5 * std::sin(2.0 * std::numbers::pi * hz * t / rate8));
                        os.oddSamples()[m] = static_cast<float>(
                            0.5 * std::sin(2.0 * std::numbers::pi * hz * (t + 1.0) / rate8));
                    }
                    os.downsample(n, out.data() + start);
                }
                const double level = std::abs(bin(out, kBegin, kN, alias, kRate)) / 0.5;
                worstDb = std::max(worstDb, 20.0 * std::log10(level));
                EXPECT_LT(20.0 * std::log10(level), -63.0) << hz << " Hz folding to " << alias;
            }
        }
    }
    RecordProperty("worst_alias_db", std::to_string(worstDb));
}

TEST(OversamplerTest, BlockBoundariesDoNotChangeTheOutput) {
    std::vector<float> in(3000);
    uint32_t state = 1;
    for (float& v : in) {
        state = state * 1664525u + 1013904223u;
        v = static_cast<float>(state >> 8) / static_cast<float>(1u << 24) - 0.5f;
    }
    std::vector<float> x8Whole;
    const auto whole = roundTrip(in, Oversampler::kMaxFrames, &x8Whole);
    for (uint32_t chunk : {1u, 3u, 17u, 63u}) {
        std::vector<float> x8;
        const auto out = roundTrip(in, chunk, &x8);
        ASSERT_EQ(out, whole) << "chunk " << chunk;
        ASSERT_EQ(x8, x8Whole) << "chunk " << chunk;
    }
}

TEST(OversamplerTest, ResetClearsAllState) {
    Oversampler os;
    const auto noise = sine(Oversampler::kMaxFrames, 3000.0, kRate);
    os.upsample(noise.data(), Oversampler::kMaxFrames);
    std::vector<float> out(Oversampler::kMaxFrames);
    os.downsample(Oversampler::kMaxFrames, out.data());
    os.reset();
    const std::vector<float> silence(Oversampler::kMaxFrames, 0.0f);
    os.upsample(silence.data(), Oversampler::kMaxFrames);
    for (uint32_t m = 0; m < 4 * Oversampler::kMaxFrames; ++m) {
        ASSERT_EQ(os.evenSamples()[m], 0.0f);
        ASSERT_EQ(os.oddSamples()[m], 0.0f);
    }
    os.downsample(Oversampler::kMaxFrames, out.data());
    for (float v : out) {
        ASSERT_EQ(v, 0.0f);
    }
}

TEST(OversamplerTest, UpAndDownsamplingNeverAllocate) {
    auto os = std::make_unique<Oversampler>();
    const auto in = sine(4096, 440.0, kRate);
    std::vector<float> out(in.size());
    allocations = 0;
    counting = true;
    for (size_t start = 0; start + Oversampler::kMaxFrames <= in.size();
         start += Oversampler::kMaxFrames) {
        os->upsample(in.data() + start, Oversampler::kMaxFrames);
        os->downsample(Oversampler::kMaxFrames, out.data() + start);
    }
    os->reset();
    counting = false;
    EXPECT_EQ(allocations.load(), 0u);
    // The counter works: an allocation made while counting is seen.
    counting = true;
    auto probe = std::make_unique<std::vector<float>>(16);
    counting = false;
    EXPECT_GE(allocations.load(), 1u);
}

}  // namespace
}  // namespace liverack::core
