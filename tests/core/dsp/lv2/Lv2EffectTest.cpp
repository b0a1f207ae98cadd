// Lv2Effect with real plugins from Debian (x42-plugins): the contract (latency reported and
// exact reset), the channel mapping, and what the plugins are for, measured against theory and
// LiveRack's own pitch detector: x42 Autotune corrects 447 Hz to 440 Hz, x42 dpl holds its
// threshold, x42 fil4 gives the gain its parameters ask for. Runs with LV2_PATH = the test's
// own bundles (a plugin whose library is broken) and the system's.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/analysis/PitchDetector.h"
#include "core/dsp/lv2/Lv2Catalogue.h"
#include "core/dsp/lv2/Lv2Effect.h"
#include "tests/support/EffectTestSupport.h"

namespace liverack::test {
namespace {

// Before any test touches the lilv world, which reads LV2_PATH once.
const bool kLv2PathSet = [] { return ::setenv("LV2_PATH", LIVERACK_TEST_LV2_PATH, 1) == 0; }();

using core::Lv2Catalogue;
using core::Lv2Effect;
using core::ProcessSpec;

constexpr const char* kAutotune = "http://gareus.org/oss/lv2/fat1";
constexpr const char* kLimiter = "http://gareus.org/oss/lv2/dpl#mono";
constexpr const char* kEqMono = "http://gareus.org/oss/lv2/fil4#mono";
constexpr const char* kDelayLine = "http://gareus.org/oss/lv2/nodelay";

std::unique_ptr<Lv2Effect> makePlugin(const char* uri) {
    auto made = Lv2Effect::create(uri);
    if (!made) {
        ADD_FAILURE() << made.error();
        return nullptr;
    }
    return std::move(*made);
}

void setParameter(Lv2Effect& effect, const std::string& symbol, float value) {
    const int index = effect.info().indexOf(symbol);
    ASSERT_GE(index, 0) << symbol;
    effect.parameters().set(static_cast<size_t>(index), value);
}

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// The median pitch LiveRack's detector reads over [begin, end) of a mono signal.
double detectedPitch(const std::vector<float>& x, size_t begin, size_t end, double rate) {
    core::PitchDetector detector;
    EXPECT_TRUE(detector.prepare(rate));
    std::vector<double> voiced;
    detector.process(x.data() + begin, end - begin, [&](const core::PitchEstimate& estimate) {
        if (estimate.voiced) {
            voiced.push_back(estimate.hz);
        }
    });
    return median(voiced);
}

double cents(double hz, double reference) {
    return 1200.0 * std::log2(hz / reference);
}

double rmsDb(const std::vector<float>& x, size_t begin, size_t end) {
    double sum = 0.0;
    for (size_t i = begin; i < end; ++i) {
        sum += double(x[i]) * x[i];
    }
    return 10.0 * std::log10(sum / double(end - begin));
}

class AtRate : public ::testing::TestWithParam<double> {};

TEST_P(AtRate, AutotuneInChromaticModeSettlesA447HzSineWithinFiveCentsOf440) {
    const double rate = GetParam();
    auto effect = makePlugin(kAutotune);
    ASSERT_TRUE(effect);
    setParameter(*effect, "mode", 0.0f);  // "Auto": every enabled note (all 12: chromatic)
    setParameter(*effect, "corr", 1.0f);
    effect->prepare(ProcessSpec{rate, 256, 1});
    effect->reset();
    const auto frames = static_cast<size_t>(rate * 4);
    const Signal input = sine(1, frames, 447.0, rate, 0.125f);  // -18 dBFS
    const Signal output = processInBlocks(*effect, input, 256);
    const size_t from = static_cast<size_t>(rate * 2);  // settled after 2 s
    const double detected = detectedPitch(output[0], from, frames, rate);
    const double crossings = zeroCrossingFrequency(output[0], from, frames, rate);
    EXPECT_NEAR(cents(detected, 440.0), 0.0, 5.0) << detected << " Hz";
    EXPECT_NEAR(cents(crossings, 440.0), 0.0, 5.0) << crossings << " Hz (zero crossings)";
    EXPECT_NEAR(cents(detectedPitch(input[0], from, frames, rate), 447.0), 0.0, 1.0);
}

TEST_P(AtRate, AutotuneWithCorrectionZeroLeavesThePitchUntouched) {
    const double rate = GetParam();
    auto effect = makePlugin(kAutotune);
    ASSERT_TRUE(effect);
    setParameter(*effect, "corr", 0.0f);
    effect->prepare(ProcessSpec{rate, 256, 1});
    effect->reset();
    const auto frames = static_cast<size_t>(rate * 3);
    const Signal output = processInBlocks(*effect, sine(1, frames, 447.0, rate, 0.125f), 256);
    const size_t from = static_cast<size_t>(rate * 1);
    EXPECT_NEAR(cents(detectedPitch(output[0], from, frames, rate), 447.0), 0.0, 1.0);
    EXPECT_NEAR(cents(zeroCrossingFrequency(output[0], from, frames, rate), 447.0), 0.0, 1.0);
}

TEST_P(AtRate, DigitalPeakLimiterHoldsItsThresholdOnNoiseAt12DbfsAboveFullScale) {
    const double rate = GetParam();
    auto effect = makePlugin(kLimiter);
    ASSERT_TRUE(effect);
    setParameter(*effect, "threshold", -3.0f);
    effect->prepare(ProcessSpec{rate, 128, 1});
    effect->reset();
    const auto frames = static_cast<size_t>(rate * 2);
    std::vector<float> noise = bandLimitedNoise(frames, rate, 8000.0, 4.0f, 7u);  // +12 dBFS peak
    const Signal output = processInBlocks(*effect, Signal{noise}, 128);
    const float ceiling = std::pow(10.0f, -3.0f / 20.0f);
    float peak = 0.0f;
    for (size_t i = effect->latencyFrames(); i < frames; ++i) {
        peak = std::max(peak, std::fabs(output[0][i]));
    }
    // dpl's own tolerance: within 0.01 dB of its threshold.
    EXPECT_LE(20.0 * std::log10(peak), -3.0 + 0.01) << 20.0 * std::log10(peak) << " dBFS";
    EXPECT_GT(peak, ceiling * 0.9f) << "the limiter should reach its threshold, not squash";
    EXPECT_GT(effect->latencyFrames(), 0u) << "dpl looks ahead and reports it";
}

TEST_P(AtRate, ParametricEqGivesThePeakingGainItsParametersAskForAtTheCentre) {
    const double rate = GetParam();
    for (const float gainDb : {-9.0f, 6.0f, 12.0f}) {
        auto effect = makePlugin(kEqMono);
        ASSERT_TRUE(effect);
        setParameter(*effect, "sec1", 1.0f);
        setParameter(*effect, "freq1", 1000.0f);
        setParameter(*effect, "gain1", gainDb);
        effect->prepare(ProcessSpec{rate, 128, 1});
        effect->reset();
        const auto frames = static_cast<size_t>(rate * 2);
        const Signal input = sine(1, frames, 1000.0, rate, 0.1f);
        const Signal output = processInBlocks(*effect, input, 128);
        const size_t from = frames / 2;  // after fil4's own parameter glide
        EXPECT_NEAR(rmsDb(output[0], from, frames) - rmsDb(input[0], from, frames), gainDb, 0.5)
            << gainDb << " dB at " << rate << " Hz";
    }
}

TEST_P(AtRate, ReportedLatencyIsWhereAnImpulseComesOut) {
    const double rate = GetParam();
    for (const float delay : {0.0f, 37.0f, 1000.0f}) {
        auto effect = makePlugin(kDelayLine);
        ASSERT_TRUE(effect);
        setParameter(*effect, "delay", delay);
        setParameter(*effect, "report_latency", 1.0f);  // "Delay and report latency"
        effect->prepare(ProcessSpec{rate, 256, 1});
        effect->reset();
        EXPECT_EQ(effect->latencyFrames(), static_cast<uint32_t>(delay)) << "after prepare";
        // The impulse comes after nodelay's own glide from no delay to the one asked for.
        const auto at = static_cast<size_t>(rate / 2);
        Signal input(1, std::vector<float>(at + 4096, 0.0f));
        input[0][at] = 1.0f;
        const Signal output = processInBlocks(*effect, input, 256);
        const auto peak = static_cast<size_t>(
            std::max_element(output[0].begin(), output[0].end(),
                             [](float a, float b) { return std::fabs(a) < std::fabs(b); }) -
            output[0].begin());
        EXPECT_EQ(peak, at + effect->latencyFrames()) << delay;
        EXPECT_FLOAT_EQ(output[0][peak], 1.0f);
    }
}

INSTANTIATE_TEST_SUITE_P(Rates, AtRate, ::testing::Values(44100.0, 48000.0, 96000.0));

TEST(Lv2Effect, AMonoPluginInAStereoRackRunsOneLinkedInstancePerChannel) {
    auto stereo = makePlugin(kEqMono);
    auto mono = makePlugin(kEqMono);
    ASSERT_TRUE(stereo && mono);
    for (auto* effect : {stereo.get(), mono.get()}) {
        setParameter(*effect, "sec2", 1.0f);
        setParameter(*effect, "freq2", 300.0f);
        setParameter(*effect, "gain2", 9.0f);
    }
    stereo->prepare(ProcessSpec{48000.0, 128, 2});
    mono->prepare(ProcessSpec{48000.0, 128, 1});
    stereo->reset();
    mono->reset();
    const size_t frames = 24000;
    Signal input{bandLimitedNoise(frames, 48000.0, 10000.0, 0.5f, 1u),
                 sine(1, frames, 300.0, 48000.0, 0.3f)[0]};
    const Signal both = processInBlocks(*stereo, input, 128);
    const Signal left = processInBlocks(*mono, Signal{input[0]}, 128);
    mono->reset();
    const Signal right = processInBlocks(*mono, Signal{input[1]}, 128);
    EXPECT_EQ(both[0], left[0]) << "left is the mono plugin on the left input alone";
    EXPECT_EQ(both[1], right[0]) << "right is the same plugin (same parameters) on the right";
}

TEST(Lv2Effect, SideChainInputsHearTheSlotsOwnInputChannelByChannel) {
    // LSP's side-chain compressor, told to use its external side chain and to let us listen to
    // its detector on the side chain's left or right channel: what comes out is the RMS level of
    // what that side-chain port hears (0.3 and 0.1 sines: 0.212 and 0.0707).
    const size_t frames = 48000;
    const Signal input{sine(1, frames, 300.0, 48000.0, 0.3f)[0],
                       sine(1, frames, 500.0, 48000.0, 0.1f)[0]};
    for (const auto& [source, level] :
         {std::pair{2.0f, 0.3 / std::sqrt(2.0)}, std::pair{3.0f, 0.1 / std::sqrt(2.0)}}) {
        auto effect = makePlugin("http://lsp-plug.in/plugins/lv2/sc_compressor_stereo");
        ASSERT_TRUE(effect);
        EXPECT_EQ(effect->plugin().mainInputs, 2u) << "its side-chain ports are not main inputs";
        setParameter(*effect, "sct", 2.0f);    // "External"
        setParameter(*effect, "scl", 1.0f);    // listen to the side chain
        setParameter(*effect, "scm", 1.0f);    // "RMS"
        setParameter(*effect, "scs", source);  // "Left" / "Right"
        effect->prepare(ProcessSpec{48000.0, 256, 2});
        effect->reset();
        const Signal output = processInBlocks(*effect, input, 256);
        for (size_t c = 0; c < 2; ++c) {
            EXPECT_NEAR(rmsDb(output[c], frames / 2, frames), 20.0 * std::log10(level), 0.5)
                << "side-chain source " << source << ", output " << c;
        }
    }
}

TEST(Lv2Effect, ResetReturnsToExactlyAFreshInstanceAndWorksRepeatedly) {
    auto used = makePlugin(kEqMono);
    auto fresh = makePlugin(kEqMono);
    ASSERT_TRUE(used && fresh);
    for (auto* effect : {used.get(), fresh.get()}) {
        setParameter(*effect, "sec1", 1.0f);
        setParameter(*effect, "gain1", 12.0f);
        effect->prepare(ProcessSpec{48000.0, 64, 1});
        effect->reset();
    }
    const std::vector<float> noise = bandLimitedNoise(9600, 48000.0, 15000.0, 0.8f, 3u);
    const Signal reference = processInBlocks(*fresh, Signal{noise}, 64);
    for (int round = 0; round < 20; ++round) {  // resets in quick succession, as bypass does
        processInBlocks(*used, Signal{noise}, 64);
        used->reset();
        const Signal again = processInBlocks(*used, Signal{noise}, 64);
        ASSERT_EQ(again[0], reference[0]) << "round " << round;
        used->reset();
    }
}

TEST(Lv2Effect, OutputPortsAreReportedAsTheEffectsOutputs) {
    auto effect = makePlugin(kLimiter);
    ASSERT_TRUE(effect);
    const int level = effect->info().outputs.empty() ? -1 : [&] {
        for (size_t i = 0; i < effect->info().outputs.size(); ++i) {
            if (effect->info().outputs[i].id == "level") {
                return static_cast<int>(i);
            }
        }
        return -1;
    }();
    ASSERT_GE(level, 0) << "dpl's gain-reduction meter \"level\"";
    setParameter(*effect, "threshold", -6.0f);
    effect->prepare(ProcessSpec{48000.0, 128, 1});
    effect->reset();
    processInBlocks(*effect, sine(1, 48000, 500.0, 48000.0, 1.0f), 128);  // 6 dB over
    EXPECT_NEAR(effect->outputs().get(static_cast<size_t>(level)), 6.0f, 1.0f)
        << "dpl reports about 6 dB of gain reduction (as a positive number)";
}

TEST(Lv2Effect, WhatAPluginMakesThatIsNotFiniteLeavesTheSlotAsSilence) {
    // The test plugin multiplies by the gain in its state: restored as NaN, it outputs NaN.
    auto effect = makePlugin("urn:liverack:test:worker-gain");
    ASSERT_TRUE(effect);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::vector<uint8_t> bytes(sizeof(float));
    std::memcpy(bytes.data(), &nan, sizeof(float));
    effect->setState(
        {{"urn:liverack:test:worker-gain#gain", {"http://lv2plug.in/ns/ext/atom#Float", bytes}}});
    effect->prepare(ProcessSpec{48000.0, 64, 1});
    effect->reset();
    const Signal output = processInBlocks(*effect, sine(1, 640, 440.0, 48000.0, 0.5f), 64);
    for (const float sample : output[0]) {
        ASSERT_EQ(sample, 0.0f);
    }
    EXPECT_EQ(effect->nonFiniteSamples(), 640u);
}

TEST(Lv2Effect, AnUnknownUriIsASentenceNamingItAndTheDebianPackage) {
    auto made = Lv2Effect::create("http://gareus.org/oss/lv2/no-such-plugin", "x42 Nothing");
    ASSERT_FALSE(made);
    EXPECT_NE(made.error().find("http://gareus.org/oss/lv2/no-such-plugin"), std::string::npos);
    EXPECT_NE(made.error().find("\"x42 Nothing\""), std::string::npos);
    EXPECT_NE(made.error().find("x42-plugins"), std::string::npos) << made.error();
}

TEST(Lv2Effect, APluginWhoseLibraryFailsToLoadIsASentenceNotACrash) {
    const auto plugin = Lv2Catalogue::shared().find("urn:liverack:test:broken");
    ASSERT_TRUE(plugin) << "the test bundle is on LV2_PATH";
    EXPECT_TRUE(plugin->supported()) << plugin->unsupportedReason;
    auto made = Lv2Effect::create("urn:liverack:test:broken");
    ASSERT_FALSE(made);
    EXPECT_NE(made.error().find("Broken Test Plugin"), std::string::npos) << made.error();
    EXPECT_NE(made.error().find("failed to start"), std::string::npos) << made.error();
}

TEST(Lv2Effect, AnInstrumentIsListedButCannotBeAdded) {
    for (const auto& plugin : Lv2Catalogue::shared().plugins()) {
        if (plugin->mainInputs == 0 && plugin->mainOutputs > 0) {
            EXPECT_FALSE(plugin->supported()) << plugin->uri;
            auto made = Lv2Effect::create(plugin->uri);
            ASSERT_FALSE(made);
            EXPECT_NE(made.error().find("no audio input"), std::string::npos) << made.error();
            return;
        }
    }
    GTEST_FAIL() << "x42-plugins ships instruments (e.g. avldrums); none was found";
}

}  // namespace
}  // namespace liverack::test
