// Second-order filter coefficients from the RBJ Audio-EQ-Cookbook (bilinear transform with the
// centre/cutoff frequency pre-warped), and their exact magnitude response for plots and tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace liverack::core {

struct BiquadCoefficients {
    // H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2): a0 is divided out.
    double b0 = 1.0;
    double b1 = 0.0;
    double b2 = 0.0;
    double a1 = 0.0;
    double a2 = 0.0;

    static BiquadCoefficients identity() noexcept { return {}; }

    // Every design takes the cookbook's Q (shelves included) and clamps the frequency a little
    // below Nyquist, where the cookbook formulas stop describing a usable filter.
    static BiquadCoefficients peak(double sampleRate, double frequencyHz, double q,
                                   double gainDb) noexcept {
        const Warped w(sampleRate, frequencyHz, q);
        const double a = std::pow(10.0, gainDb / 40.0);
        return normalised(1.0 + w.alpha * a, -2.0 * w.cosW0, 1.0 - w.alpha * a, 1.0 + w.alpha / a,
                          -2.0 * w.cosW0, 1.0 - w.alpha / a);
    }

    static BiquadCoefficients lowShelf(double sampleRate, double frequencyHz, double q,
                                       double gainDb) noexcept {
        const Warped w(sampleRate, frequencyHz, q);
        const double a = std::pow(10.0, gainDb / 40.0);
        const double k = 2.0 * std::sqrt(a) * w.alpha;
        return normalised(
            a * ((a + 1.0) - (a - 1.0) * w.cosW0 + k), 2.0 * a * ((a - 1.0) - (a + 1.0) * w.cosW0),
            a * ((a + 1.0) - (a - 1.0) * w.cosW0 - k), (a + 1.0) + (a - 1.0) * w.cosW0 + k,
            -2.0 * ((a - 1.0) + (a + 1.0) * w.cosW0), (a + 1.0) + (a - 1.0) * w.cosW0 - k);
    }

    static BiquadCoefficients highShelf(double sampleRate, double frequencyHz, double q,
                                        double gainDb) noexcept {
        const Warped w(sampleRate, frequencyHz, q);
        const double a = std::pow(10.0, gainDb / 40.0);
        const double k = 2.0 * std::sqrt(a) * w.alpha;
        return normalised(
            a * ((a + 1.0) + (a - 1.0) * w.cosW0 + k), -2.0 * a * ((a - 1.0) + (a + 1.0) * w.cosW0),
            a * ((a + 1.0) + (a - 1.0) * w.cosW0 - k), (a + 1.0) - (a - 1.0) * w.cosW0 + k,
            2.0 * ((a - 1.0) - (a + 1.0) * w.cosW0), (a + 1.0) - (a - 1.0) * w.cosW0 - k);
    }

    static BiquadCoefficients lowPass(double sampleRate, double frequencyHz, double q) noexcept {
        const Warped w(sampleRate, frequencyHz, q);
        const double b = (1.0 - w.cosW0) / 2.0;
        return normalised(b, 2.0 * b, b, 1.0 + w.alpha, -2.0 * w.cosW0, 1.0 - w.alpha);
    }

    static BiquadCoefficients highPass(double sampleRate, double frequencyHz, double q) noexcept {
        const Warped w(sampleRate, frequencyHz, q);
        const double b = (1.0 + w.cosW0) / 2.0;
        return normalised(b, -2.0 * b, b, 1.0 + w.alpha, -2.0 * w.cosW0, 1.0 - w.alpha);
    }

    // Constant 0 dB peak gain variant.
    static BiquadCoefficients bandPass(double sampleRate, double frequencyHz, double q) noexcept {
        const Warped w(sampleRate, frequencyHz, q);
        return normalised(w.alpha, 0.0, -w.alpha, 1.0 + w.alpha, -2.0 * w.cosW0, 1.0 - w.alpha);
    }

    static BiquadCoefficients notch(double sampleRate, double frequencyHz, double q) noexcept {
        const Warped w(sampleRate, frequencyHz, q);
        return normalised(1.0, -2.0 * w.cosW0, 1.0, 1.0 + w.alpha, -2.0 * w.cosW0, 1.0 - w.alpha);
    }

    // |H(e^jw)| at a frequency, evaluated from the coefficients.
    double magnitude(double frequencyHz, double sampleRate) const noexcept {
        const double w = 2.0 * std::numbers::pi * frequencyHz / sampleRate;
        const std::complex<double> z1 = std::polar(1.0, -w);
        const std::complex<double> z2 = z1 * z1;
        return std::abs((b0 + b1 * z1 + b2 * z2) / (1.0 + a1 * z1 + a2 * z2));
    }
    double magnitudeDb(double frequencyHz, double sampleRate) const noexcept {
        return 20.0 * std::log10(std::max(magnitude(frequencyHz, sampleRate), 1e-30));
    }

    // The highest frequency a design accepts, as a fraction of the sample rate.
    static constexpr double kMaxFrequencyRatio = 0.49;

private:
    struct Warped {
        Warped(double sampleRate, double frequencyHz, double q) noexcept {
            const double f = std::clamp(frequencyHz, 1.0, kMaxFrequencyRatio * sampleRate);
            const double w0 = 2.0 * std::numbers::pi * f / sampleRate;
            cosW0 = std::cos(w0);
            alpha = std::sin(w0) / (2.0 * std::max(q, 1e-3));
        }
        double cosW0 = 1.0;
        double alpha = 0.0;
    };

    static BiquadCoefficients normalised(double nb0, double nb1, double nb2, double na0, double na1,
                                         double na2) noexcept {
        return {nb0 / na0, nb1 / na0, nb2 / na0, na1 / na0, na2 / na0};
    }
};

}  // namespace liverack::core
