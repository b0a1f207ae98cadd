#include "tests/support/JackLoopMeasurement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace liverack::test {
namespace {

constexpr double kSampleTolerance = 1e-5;  // far above float rounding, far below any real fault

}  // namespace

std::vector<std::vector<float>> loopSignal(size_t frames, unsigned seed) {
    std::vector<std::vector<float>> play(2, std::vector<float>(frames, 0.0f));
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
    for (size_t n = 0; n < frames; ++n) {
        play[0][n] = noise(rng);
        play[1][n] = n % kImpulseSpacing == 0 ? 0.5f : 0.0f;
    }
    return play;
}

void expectExactLoop(const LoopResult& r, long latency, double gainDb, const std::string& what,
                     size_t excusedBrokenFrames) {
    std::printf(
        "[ loop ] %s: latency %ld frames, %zu impulses, suspect %zu of %zu frames, "
        "broken %zu, gain %.4f dB, residual %.1f dB\n",
        what.c_str(), r.latency, r.impulseDelays.size(), r.suspectFrames, r.checkedFrames,
        r.brokenFrames, r.gainDb, r.residualDb);
    EXPECT_EQ(r.latency, latency) << what;
    EXPECT_FALSE(r.impulseDelays.empty()) << what;
    for (long delay : r.impulseDelays) {
        EXPECT_EQ(delay, latency) << what << ": an impulse";
    }
    EXPECT_LE(r.brokenFrames, excusedBrokenFrames)
        << what << ": samples lost, repeated or altered in cycles JACK did not report late";
    EXPECT_LE(r.suspectFrames, r.checkedFrames / 2) << what << ": too few clean cycles to judge";
    EXPECT_NEAR(r.gainDb, gainDb, 0.01) << what;
    if (r.brokenFrames == 0) {
        EXPECT_LT(r.residualDb, -100.0) << what;
    }
}

long firstArrival(const JackTestClient& tester, size_t channel, float threshold) {
    const auto& rec = tester.recording()[channel];
    const size_t recorded = tester.recordedFrames();
    for (size_t i = 0; i < recorded && i < rec.size(); ++i) {
        if (std::abs(rec[i]) > threshold) {
            return static_cast<long>(i);
        }
    }
    return -1;
}

LoopResult measureLoop(const JackTestClient& tester, const std::vector<std::vector<float>>& play,
                       double gain, size_t from, size_t to, long maxLatency) {
    LoopResult result;
    const auto& rec = tester.recording();
    const std::vector<bool> suspect = tester.suspectFrames();
    to = std::min({to, suspect.size(), rec[0].size()});
    if (from >= to || from < static_cast<size_t>(maxLatency)) {
        return result;
    }
    const auto matches = [&](size_t k, long latency) {
        const size_t n = k - static_cast<size_t>(latency);
        return std::abs(rec[0][k] - gain * play[0][n]) <= kSampleTolerance &&
               std::abs(rec[1][k] - gain * play[1][n]) <= kSampleTolerance;
    };

    // The delay: the one under which the first 2048 frames not suspect match best (noise matches
    // at one delay only).
    std::vector<size_t> probe;
    for (size_t k = from; k < to && probe.size() < 2048; ++k) {
        if (!suspect[k]) {
            probe.push_back(k);
        }
    }
    size_t best = 0;
    for (long latency = 0; latency <= maxLatency; ++latency) {
        size_t count = 0;
        for (size_t k : probe) {
            count += matches(k, latency) ? 1 : 0;
        }
        if (count > best) {
            best = count;
            result.latency = latency;
        }
    }
    if (probe.empty() || best < probe.size() * 9 / 10) {
        result.latency = -1;
        return result;
    }

    double recordedEnergy = 0.0;
    double expectedEnergy = 0.0;
    double errorEnergy = 0.0;
    for (size_t k = from; k < to; ++k) {
        ++result.checkedFrames;
        if (suspect[k]) {
            ++result.suspectFrames;
            continue;
        }
        if (!matches(k, result.latency)) {
            ++result.brokenFrames;
        }
        const double expected = gain * play[0][k - static_cast<size_t>(result.latency)];
        recordedEnergy += double(rec[0][k]) * rec[0][k];
        expectedEnergy += expected * expected;
        errorEnergy += (rec[0][k] - expected) * (rec[0][k] - expected);
    }
    const double playedEnergy = expectedEnergy / (gain * gain);
    result.gainDb = 10.0 * std::log10(recordedEnergy / playedEnergy);
    result.residualDb =
        errorEnergy > 0.0 ? 10.0 * std::log10(errorEnergy / expectedEnergy) : -400.0;

    // Each impulse whose neighbourhood is clean: where did it come out?
    for (size_t p = 0; p + static_cast<size_t>(maxLatency) < to; p += kImpulseSpacing) {
        if (p < from - static_cast<size_t>(maxLatency)) {
            continue;
        }
        bool clean = true;
        for (size_t k = p; k <= p + static_cast<size_t>(maxLatency); ++k) {
            clean = clean && !suspect[k];
        }
        if (!clean) {
            continue;
        }
        size_t peak = p;
        for (size_t k = p; k <= p + static_cast<size_t>(maxLatency); ++k) {
            if (std::abs(rec[1][k]) > std::abs(rec[1][peak])) {
                peak = k;
            }
        }
        result.impulseDelays.push_back(static_cast<long>(peak - p));
    }
    return result;
}

}  // namespace liverack::test
