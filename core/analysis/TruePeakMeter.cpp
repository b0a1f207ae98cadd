#include "core/analysis/TruePeakMeter.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace liverack::core {

namespace {

// Kaiser window's zeroth-order modified Bessel function (series; converges fast for these beta).
double besselI0(double x) {
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 30; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}

}  // namespace

Status TruePeakMeter::prepare(double sampleRate, uint32_t channels) {
    if (!(sampleRate >= 8000.0 && sampleRate <= 768000.0) || channels == 0 ||
        channels > kMaxChannels) {
        return Error{"true peak cannot be measured at " + std::to_string(sampleRate) + " Hz with " +
                     std::to_string(channels) + " channels"};
    }
    // As BS.1770-4 and libebur128: 4x below 96 kHz, 2x below 192 kHz, the samples above.
    factor_ = sampleRate < 96000.0 ? 4 : (sampleRate < 192000.0 ? 2 : 1);
    channels_ = channels;

    // A windowed sinc of factor * 12 + 1 taps centred on a tap, cut off at the input's Nyquist
    // frequency: phase 0 is then a pure delay (the samples themselves, so the true peak is never
    // below the sample peak), and phase p interpolates p / factor of a sample after it. Kaiser
    // beta 6: about 60 dB stop band, flat to within 0.1 dB to 80 % of Nyquist. Each phase is
    // scaled to unit gain at DC, so a constant reads exactly its value.
    coefficients_.assign(factor_, {});
    const int length = static_cast<int>(factor_ * kTapsPerPhase) + 1;
    const double centre = (length - 1) / 2.0;
    const double beta = 6.0;
    for (uint32_t p = 1; p < factor_; ++p) {
        double sum = 0.0;
        for (uint32_t t = 0; t < kTapsPerPhase; ++t) {
            // Output at input position (newest - half - ...): tap t reads the input
            // kTapsPerPhase - 1 - t samples before the newest; index n in the full filter.
            const int n = static_cast<int>(t * factor_ + (factor_ - p));
            const double x = (n - centre) / factor_;
            const double sinc =
                x == 0.0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
            const double r = (n - centre) / centre;
            const double window =
                besselI0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / besselI0(beta);
            coefficients_[p][t] = static_cast<float>(sinc * window);
            sum += sinc * window;
        }
        for (float& c : coefficients_[p]) {
            c = static_cast<float>(c / sum);
        }
    }
    history_.assign(channels, std::vector<float>(kTapsPerPhase - 1 + kBlockFrames, 0.0f));
    output_.assign(kBlockFrames, 0.0f);
    peaks_.assign(channels, 0.0);
    return {};
}

void TruePeakMeter::reset() {
    for (auto& h : history_) {
        std::fill(h.begin(), h.end(), 0.0f);
    }
    std::fill(peaks_.begin(), peaks_.end(), 0.0);
}

void TruePeakMeter::process(const float* const* channels, uint32_t frames) {
    constexpr uint32_t kKeep = kTapsPerPhase - 1;
    uint32_t done = 0;
    while (done < frames) {
        const uint32_t count = std::min(frames - done, kBlockFrames);
        for (uint32_t c = 0; c < channels_; ++c) {
            float* x = history_[c].data();
            std::copy_n(channels[c] + done, count, x + kKeep);
            // Phase 0: the samples.
            float highest = 0.0f;
            for (uint32_t i = 0; i < count; ++i) {
                highest = std::max(highest, std::fabs(x[kKeep + i]));
            }
            // Output i of phase p lies between inputs; the filter's centre sits kTapsPerPhase / 2
            // inputs back, a fixed delay that a peak meter does not mind.
            for (uint32_t p = 1; p < factor_; ++p) {
                const std::array<float, kTapsPerPhase>& h = coefficients_[p];
                float* out = output_.data();
                std::fill_n(out, count, 0.0f);
                for (uint32_t t = 0; t < kTapsPerPhase; ++t) {
                    const float coefficient = h[t];
                    const float* in = x + t;
                    for (uint32_t i = 0; i < count; ++i) {
                        out[i] += coefficient * in[i];
                    }
                }
                for (uint32_t i = 0; i < count; ++i) {
                    highest = std::max(highest, std::fabs(out[i]));
                }
            }
            peaks_[c] = std::max(peaks_[c], double(highest));
            std::copy_n(x + count, kKeep, x);  // the newest kKeep inputs lead the next block
        }
        done += count;
    }
}

double TruePeakMeter::peak(uint32_t channel) const noexcept {
    return channel < peaks_.size() ? peaks_[channel] : 0.0;
}

}  // namespace liverack::core
