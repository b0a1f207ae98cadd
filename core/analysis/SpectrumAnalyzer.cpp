// Spectrum analyser: see SpectrumAnalyzer.h. Calibration: a bin reads 2|X[k]| / sum(w), so a sine
// of amplitude A centred on a bin reads A (0 dBFS at full scale) whatever the window.
#include "core/analysis/SpectrumAnalyzer.h"

#include <fftw3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <mutex>
#include <numbers>
#include <span>

#include "core/analysis/FftwPlanLock.h"

namespace liverack::core {

namespace {

// Generalised cosine windows, w[n] = sum_m (-1)^m a_m cos(2 pi m n / N), periodic ("DFT-even").
std::span<const double> cosineTerms(SpectrumWindow window) {
    static constexpr double kHann[] = {0.5, 0.5};
    // Harris 1978, 4-term, -92 dB side lobes.
    static constexpr double kBlackmanHarris[] = {0.35875, 0.48829, 0.14128, 0.01168};
    // The 5-term flat top of MATLAB's flattopwin (D'Antona and Ferrero): < 0.02 dB scalloping.
    static constexpr double kFlatTop[] = {0.21557895, 0.41663158, 0.277263158, 0.083578947,
                                          0.006947368};
    static constexpr double kRectangular[] = {1.0};
    switch (window) {
        case SpectrumWindow::Hann:
            return kHann;
        case SpectrumWindow::BlackmanHarris:
            return kBlackmanHarris;
        case SpectrumWindow::FlatTop:
            return kFlatTop;
        case SpectrumWindow::Rectangular:
            break;
    }
    return kRectangular;
}

// sum_{n<N} e^{-i 2 pi x n / N}
std::complex<double> dirichlet(double x, uint32_t size) {
    const double n = size;
    const double denominator = std::sin(std::numbers::pi * x / n);
    const double magnitude =
        std::fabs(denominator) < 1e-12 ? n : std::sin(std::numbers::pi * x) / denominator;
    const double phase = -std::numbers::pi * x * (n - 1.0) / n;
    return magnitude * std::complex<double>(std::cos(phase), std::sin(phase));
}

double toDb(double power) {
    return power > 1e-20 ? 10.0 * std::log10(power) : double(SpectrumAnalyzer::kFloorDb);
}

// The same in float, for the thousands of bins converted per frame: a float logarithm is about
// half the cost, and the result is stored as float anyway (6 digits of a dB figure).
float toDbFloat(double power) {
    return power > 1e-20 ? 10.0f * std::log10(static_cast<float>(power))
                         : SpectrumAnalyzer::kFloorDb;
}

}  // namespace

struct SpectrumAnalyzer::Plans {
    float* input = nullptr;
    fftwf_complex* output = nullptr;
    std::vector<fftwf_plan> bySize;  // index log2(size / kMinFftSize)

    ~Plans() {
        std::lock_guard lock(fftwPlanMutex());
        for (auto plan : bySize) {
            fftwf_destroy_plan(plan);
        }
        fftwf_free(input);
        fftwf_free(output);
    }
};

SpectrumAnalyzer::SpectrumAnalyzer() = default;
SpectrumAnalyzer::~SpectrumAnalyzer() = default;

double SpectrumAnalyzer::windowResponse(SpectrumWindow window, uint32_t size,
                                        double offsetBins) noexcept {
    const auto terms = cosineTerms(window);
    std::complex<double> sum = terms[0] * dirichlet(offsetBins, size);
    for (size_t m = 1; m < terms.size(); ++m) {
        const double sign = (m % 2 == 0) ? 1.0 : -1.0;
        sum += sign * terms[m] * 0.5 *
               (dirichlet(offsetBins - double(m), size) + dirichlet(offsetBins + double(m), size));
    }
    return std::abs(sum) / (terms[0] * size);
}

Status SpectrumAnalyzer::prepare(double sampleRate, uint32_t maxFftSize) {
    if (!(sampleRate >= 1000.0 && sampleRate <= 768000.0)) {
        return Error{"the spectrum cannot be measured at a sample rate of " +
                     std::to_string(sampleRate) + " Hz"};
    }
    sampleRate_ = sampleRate;
    maxFftSize_ = std::clamp(std::bit_floor(maxFftSize), kMinFftSize, kMaxFftSize);
    plans_ = std::make_unique<Plans>();
    {
        std::lock_guard lock(fftwPlanMutex());
        plans_->input = fftwf_alloc_real(maxFftSize_);
        plans_->output = fftwf_alloc_complex(maxFftSize_ / 2 + 1);
        if (plans_->input == nullptr || plans_->output == nullptr) {
            return Error{"out of memory for the spectrum analyser"};
        }
        for (uint32_t size = kMinFftSize; size <= maxFftSize_; size *= 2) {
            // FFTW_ESTIMATE leaves the buffers alone and plans in microseconds; measuring would
            // gain little at these sizes and delay every stream start.
            fftwf_plan plan = fftwf_plan_dft_r2c_1d(static_cast<int>(size), plans_->input,
                                                    plans_->output, FFTW_ESTIMATE);
            if (plan == nullptr) {
                return Error{"FFTW could not plan a " + std::to_string(size) + "-point transform"};
            }
            plans_->bySize.push_back(plan);
        }
    }
    history_.assign(maxFftSize_, 0.0f);
    window_.assign(maxFftSize_, 0.0f);
    const size_t bins = maxFftSize_ / 2 + 1;
    framePower_.assign(bins, 0.0);
    averagePower_.assign(bins, 0.0);
    averageDb_.assign(bins, kFloorDb);
    holdDb_.assign(bins, kFloorDb);
    holdPower_.assign(bins, 0.0);
    writePosition_ = 0;
    SpectrumSettings settings = settings_;
    settings_.fftSize = 0;  // forces configure() to build the window
    configure(settings);
    return {};
}

void SpectrumAnalyzer::configure(const SpectrumSettings& requested) noexcept {
    SpectrumSettings next = requested;
    next.fftSize =
        std::clamp(std::bit_floor(std::max(requested.fftSize, 1u)), kMinFftSize, maxFftSize_);
    next.overlap =
        std::clamp(std::isfinite(requested.overlap) ? requested.overlap : 0.75f, 0.5f, 0.875f);
    const float seconds = requested.averagingSeconds;
    next.averagingSeconds = std::isinf(seconds) && seconds > 0.0f ? seconds
                            : std::isfinite(seconds)              ? std::clamp(seconds, 0.0f, 60.0f)
                                                                  : 0.0f;
    const bool reshaped = next.fftSize != settings_.fftSize || next.window != settings_.window;
    settings_ = next;
    hopFrames_ = std::max<uint32_t>(
        1, static_cast<uint32_t>(std::lround(next.fftSize * (1.0 - double(next.overlap)))));
    pending_ = std::min(pending_, hopFrames_ - 1);
    if (!reshaped || window_.empty()) {
        return;
    }
    const auto terms = cosineTerms(next.window);
    const uint32_t n = next.fftSize;
    double sum = 0.0;
    for (uint32_t i = 0; i < n; ++i) {
        double w = terms[0];
        for (size_t m = 1; m < terms.size(); ++m) {
            const double sign = (m % 2 == 0) ? 1.0 : -1.0;
            w += sign * terms[m] * std::cos(2.0 * std::numbers::pi * double(m) * i / n);
        }
        window_[i] = static_cast<float>(w);
        sum += w;
    }
    windowSum_ = sum;
    planColumnBands();
    resetAverage();
    resetPeakHold();
}

void SpectrumAnalyzer::planColumnBands() noexcept {
    const double nyquist = sampleRate_ / 2.0;
    const double binHz = sampleRate_ / settings_.fftSize;
    const double ratio = nyquist / kSpectrogramMinHz;
    for (uint32_t b = 0; b <= kSpectrogramRows; ++b) {
        const double edgeHz = kSpectrogramMinHz * std::pow(ratio, double(b) / kSpectrogramRows);
        bandFirstBin_[b] = static_cast<uint32_t>(std::ceil(edgeHz / binHz - 1e-9));
    }
    bandFirstBin_[kSpectrogramRows] = settings_.fftSize / 2 + 1;
    for (uint32_t b = 0; b < kSpectrogramRows; ++b) {
        const double centreHz = kSpectrogramMinHz * std::pow(ratio, (b + 0.5) / kSpectrogramRows);
        bandCentreBin_[b] = static_cast<float>(centreHz / binHz);
    }
}

void SpectrumAnalyzer::resetAverage() noexcept {
    std::fill(averagePower_.begin(), averagePower_.end(), 0.0);
    std::fill(averageDb_.begin(), averageDb_.end(), kFloorDb);
    dbStale_ = true;
    framesAveraged_ = 0;
}

void SpectrumAnalyzer::resetPeakHold() noexcept {
    std::fill(holdDb_.begin(), holdDb_.end(), kFloorDb);
    std::fill(holdPower_.begin(), holdPower_.end(), 0.0);
    dbStale_ = true;
}

void SpectrumAnalyzer::write(const float* samples, size_t count) noexcept {
    const size_t mask = maxFftSize_ - 1;
    for (size_t i = 0; i < count; ++i) {
        history_[(writePosition_ + i) & mask] = samples[i];
    }
    writePosition_ = (writePosition_ + count) & mask;
    consumed_ += count;
}

void SpectrumAnalyzer::computeFrame() noexcept {
    const uint32_t n = settings_.fftSize;
    const size_t mask = maxFftSize_ - 1;
    const size_t start = (writePosition_ + maxFftSize_ - n) & mask;
    float* input = plans_->input;
    for (uint32_t i = 0; i < n; ++i) {
        input[i] = history_[(start + i) & mask] * window_[i];
    }
    const int planIndex = std::countr_zero(n) - std::countr_zero(kMinFftSize);
    fftwf_execute_dft_r2c(plans_->bySize[planIndex], input, plans_->output);

    const uint32_t bins = n / 2 + 1;
    const double edgeScale = 1.0 / (windowSum_ * windowSum_);  // DC and Nyquist: one-sided already
    const double scale = 4.0 * edgeScale;
    const double hopSeconds = hopFrames_ / sampleRate_;
    double keep = 0.0;
    if (std::isinf(settings_.averagingSeconds)) {
        keep = double(framesAveraged_) / double(framesAveraged_ + 1);
    } else if (settings_.averagingSeconds > 0.0f) {
        keep = std::exp(-hopSeconds / settings_.averagingSeconds);
    }
    const double old = framesAveraged_ == 0 ? 0.0 : keep;
    const double fresh = 1.0 - old;
    for (uint32_t k = 0; k < bins; ++k) {
        const double re = plans_->output[k][0];
        const double im = plans_->output[k][1];
        const double power = (re * re + im * im) * ((k == 0 || k == bins - 1) ? edgeScale : scale);
        framePower_[k] = power;
        averagePower_[k] = old * averagePower_[k] + fresh * power;
        // The hold in dB as it rises: once held, most bins stay put, and converting all of them
        // for every snapshot was half of the snapshot's logarithms.
        if (averagePower_[k] > holdPower_[k]) {
            holdPower_[k] = averagePower_[k];
            holdDb_[k] = toDbFloat(holdPower_[k]);
        }
    }
    dbStale_ = true;
    ++framesAveraged_;
    ++frames_;
    findPeak();
}

void SpectrumAnalyzer::findPeak() noexcept {
    const uint32_t n = settings_.fftSize;
    const uint32_t bins = n / 2 + 1;
    uint32_t peak = 1;
    for (uint32_t k = 2; k + 1 < bins; ++k) {
        if (averagePower_[k] > averagePower_[peak]) {
            peak = k;
        }
    }
    const double centre = std::sqrt(averagePower_[peak]);
    if (!(centre > 0.0)) {
        peakHz_ = 0.0f;
        peakDb_ = kFloorDb;
        return;
    }
    const double below = std::sqrt(averagePower_[peak - 1]);
    const double above = std::sqrt(averagePower_[peak + 1]);
    const int side = above >= below ? 1 : -1;
    const double ratio = (side > 0 ? above : below) / centre;
    // A sine at peak + side * d (0 <= d <= 0.5) gives ratio |W(1 - d)| / |W(d)|, increasing in
    // d for every window here; solving it with the window's exact transform is unbiased where
    // a parabola through dB values is not (it errs by up to 0.1 bin with the flat top).
    const SpectrumWindow window = settings_.window;
    auto ratioAt = [&](double d) {
        return windowResponse(window, n, 1.0 - d) / windowResponse(window, n, d);
    };
    double low = 0.0;
    double high = 0.5;
    if (ratio <= ratioAt(low)) {
        high = 0.0;
    } else if (ratio >= ratioAt(high)) {
        low = 0.5;
    } else {
        for (int i = 0; i < 40; ++i) {
            const double mid = 0.5 * (low + high);
            (ratioAt(mid) < ratio ? low : high) = mid;
        }
    }
    const double offset = 0.5 * (low + high);
    peakHz_ = static_cast<float>((peak + side * offset) * sampleRate_ / n);
    peakDb_ = static_cast<float>(20.0 * std::log10(centre / windowResponse(window, n, offset)));
}

void SpectrumAnalyzer::updateDb() const noexcept {
    if (!dbStale_) {
        return;
    }
    const uint32_t bins = binCount();
    for (uint32_t k = 0; k < bins; ++k) {
        averageDb_[k] = toDbFloat(averagePower_[k]);
    }
    dbStale_ = false;
}

void SpectrumAnalyzer::fillSnapshot(SpectrumSnapshot& snapshot) const noexcept {
    updateDb();
    const uint32_t bins = binCount();
    snapshot.sampleRate = sampleRate_;
    snapshot.fftSize = settings_.fftSize;
    snapshot.binCount = bins;
    std::copy_n(averageDb_.begin(), bins, snapshot.magnitudeDb.begin());
    std::copy_n(holdDb_.begin(), bins, snapshot.peakHoldDb.begin());
    snapshot.peakHz = peakHz_;
    snapshot.peakDb = peakDb_;
}

void SpectrumAnalyzer::fillColumn(SpectrogramColumn& column) const noexcept {
    column.minHz = kSpectrogramMinHz;
    column.maxHz = static_cast<float>(sampleRate_ / 2.0);
    const uint32_t bins = binCount();
    for (uint32_t b = 0; b < kSpectrogramRows; ++b) {
        const uint32_t first = bandFirstBin_[b];
        const uint32_t last = std::min(bandFirstBin_[b + 1], bins);
        double power = 0.0;
        if (first < last) {
            for (uint32_t k = first; k < last; ++k) {
                power = std::max(power, framePower_[k]);
            }
        } else {
            // Narrower than a bin (low bands of small transforms): interpolate between bins.
            const double position = std::clamp<double>(bandCentreBin_[b], 0.0, bins - 1.0);
            const uint32_t k = std::min(static_cast<uint32_t>(position), bins - 2);
            const double t = position - k;
            power = (1.0 - t) * framePower_[k] + t * framePower_[k + 1];
        }
        column.levelDb[b] = static_cast<float>(toDb(power));
    }
}

}  // namespace liverack::core
