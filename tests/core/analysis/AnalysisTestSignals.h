// Signals with exactly known properties for the analysis tests: sines, band-limited harmonic
// tones, Karplus-Strong plucks with an exact period, vibrato, white noise at a chosen SNR.
#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace liverack::core::testsignals {

constexpr double kPi = std::numbers::pi;

inline std::vector<float> sine(double hz, double amplitude, double sampleRate, size_t frames,
                               double phase = 0.0) {
    std::vector<float> out(frames);
    for (size_t i = 0; i < frames; ++i) {
        out[i] = static_cast<float>(amplitude *
                                    std::sin(2.0 * kPi * hz * double(i) / sampleRate + phase));
    }
    return out;
}

// Sum of harmonics h = first..last (below Nyquist) with amplitudes amplitudeOf(h), by complex
// rotation so hundreds of harmonics stay cheap; harmonic h starts at phase h * phase.
template <typename AmplitudeOf>
std::vector<float> harmonics(double f0, double sampleRate, size_t frames, int first, int last,
                             double phase, AmplitudeOf amplitudeOf) {
    std::vector<double> sum(frames, 0.0);
    for (int h = first; h <= last && h * f0 < 0.5 * sampleRate * 0.995; ++h) {
        const double a = amplitudeOf(h);
        if (a == 0.0) {
            continue;
        }
        const std::complex<double> step = std::polar(1.0, 2.0 * kPi * h * f0 / sampleRate);
        std::complex<double> z = std::polar(1.0, h * phase);
        for (size_t i = 0; i < frames; ++i) {
            // Renormalise now and then so the rotation's magnitude does not drift.
            if ((i & 1023) == 0) {
                z = std::polar(1.0, 2.0 * kPi * h * f0 * double(i) / sampleRate + h * phase);
            }
            sum[i] += a * z.imag();
            z *= step;
        }
    }
    return std::vector<float>(sum.begin(), sum.end());
}

// Band-limited sawtooth (all harmonics, 1/h) and square (odd harmonics, 1/h), peak about 0.5.
inline std::vector<float> sawtooth(double f0, double sampleRate, size_t frames, double phase) {
    return harmonics(f0, sampleRate, frames, 1, 100000, phase, [](int h) { return 0.3 / h; });
}
inline std::vector<float> square(double f0, double sampleRate, size_t frames, double phase) {
    return harmonics(f0, sampleRate, frames, 1, 100000, phase,
                     [](int h) { return h % 2 == 1 ? 0.4 / h : 0.0; });
}
// Harmonics 2..8 at equal level, no fundamental: the pitch heard (and asked for) is f0.
inline std::vector<float> missingFundamental(double f0, double sampleRate, size_t frames,
                                             double phase) {
    return harmonics(f0, sampleRate, frames, 2, 8, phase, [](int) { return 0.07; });
}

// Karplus-Strong with a loop of loopSamples + 1/2 (the two-point average delays by exactly half a
// sample at every frequency), so every partial is harmonic of sampleRate / (loopSamples + 0.5).
inline std::vector<float> pluck(uint32_t loopSamples, size_t frames, uint32_t seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> uniform(-0.5, 0.5);
    std::vector<double> line(loopSamples + 1);
    for (auto& v : line) {
        v = uniform(random);
    }
    std::vector<float> out(frames);
    constexpr double kDecay = 0.998;
    // y[n] = x[n] (first L+1 samples) or kDecay * (y[n-L] + y[n-L-1]) / 2.
    std::vector<double> y(frames);
    for (size_t n = 0; n < frames; ++n) {
        if (n <= loopSamples) {
            y[n] = line[n];
        } else {
            y[n] = kDecay * 0.5 * (y[n - loopSamples] + y[n - loopSamples - 1]);
        }
        out[n] = static_cast<float>(y[n]);
    }
    return out;
}

// Sine whose frequency swings +-depthCents around f0 at rateHz; instantaneous frequency at
// sample i is f0 * 2^(depth sin(2 pi rate i / fs) / 1200).
inline double vibratoHz(double f0, double depthCents, double rateHz, double seconds) {
    return f0 * std::pow(2.0, depthCents * std::sin(2.0 * kPi * rateHz * seconds) / 1200.0);
}
inline std::vector<float> vibrato(double f0, double depthCents, double rateHz, double sampleRate,
                                  size_t frames, double phase) {
    std::vector<float> out(frames);
    double theta = phase;
    for (size_t i = 0; i < frames; ++i) {
        out[i] = static_cast<float>(0.5 * std::sin(theta));
        // Midpoint rule on the instantaneous frequency keeps the phase accurate to 1e-9 rad.
        theta += 2.0 * kPi * vibratoHz(f0, depthCents, rateHz, (i + 0.5) / sampleRate) / sampleRate;
    }
    return out;
}

inline double meanPower(const std::vector<float>& x) {
    double sum = 0.0;
    for (float v : x) {
        sum += double(v) * v;
    }
    return x.empty() ? 0.0 : sum / x.size();
}

// Adds white Gaussian noise snrDb below the signal's mean power.
inline void addNoise(std::vector<float>& x, double snrDb, uint32_t seed) {
    std::mt19937 random(seed);
    std::normal_distribution<double> normal(0.0,
                                            std::sqrt(meanPower(x) / std::pow(10.0, snrDb / 10.0)));
    for (auto& v : x) {
        v = static_cast<float>(v + normal(random));
    }
}

inline std::vector<float> whiteNoise(double rms, size_t frames, uint32_t seed) {
    std::mt19937 random(seed);
    std::normal_distribution<double> normal(0.0, rms);
    std::vector<float> out(frames);
    for (auto& v : out) {
        v = static_cast<float>(normal(random));
    }
    return out;
}

}  // namespace liverack::core::testsignals
