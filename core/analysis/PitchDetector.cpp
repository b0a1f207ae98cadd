// Pitch detector: see PitchDetector.h.
#include "core/analysis/PitchDetector.h"

#include <fftw3.h>

#include <bit>
#include <cmath>
#include <complex>
#include <cstring>
#include <mutex>
#include <numbers>

#include "core/analysis/FftwPlanLock.h"

namespace liverack::core {

namespace {

constexpr double kPi = std::numbers::pi;
// Key maxima within this fraction of the highest count as the period (McLeod and Wyvill 2005):
// the first of them wins, which avoids picking a multiple of the period.
constexpr double kKeyMaximumRatio = 0.95;
// The picking stage sees the signal low-passed (flat to 4 kHz, raised cosine to 0 at 8 kHz):
// high harmonics make the difference function's peaks too sharp to judge from whole lags.
constexpr double kPickFlatHz = 4000.0;
constexpr double kPickStopHz = 8000.0;

// sum_{n<N} e^{-i 2 pi nu n}
std::complex<double> dirichlet(double nu, uint32_t n) {
    const double denominator = std::sin(kPi * nu);
    const double magnitude =
        std::fabs(denominator) < 1e-15 ? double(n) : std::sin(kPi * nu * n) / denominator;
    const double phase = -kPi * nu * (n - 1.0);
    return magnitude * std::complex<double>(std::cos(phase), std::sin(phase));
}

// Independent partial sums, so the adds of a long reduction overlap instead of waiting on each
// other (and vectorise); frame sizes are powers of two of at least 512, so they divide evenly.
constexpr uint32_t kLanes = 8;

double sumOf(const float* x, uint32_t count) noexcept {
    double lanes[kLanes] = {};
    for (uint32_t i = 0; i < count; i += kLanes) {
        for (uint32_t j = 0; j < kLanes; ++j) {
            lanes[j] += x[i + j];
        }
    }
    double sum = 0.0;
    for (double lane : lanes) {
        sum += lane;
    }
    return sum;
}

// Two doubles, one SSE2 or NEON register. GCC and Clang vector extensions, because the hot loop
// below must vectorise however it is inlined: left to itself, GCC kept it scalar inside refine().
using Pair = double __attribute__((vector_size(16)));
constexpr uint32_t kPairs = kLanes / 2;

Pair loadPair(const double* x) noexcept {
    Pair v;
    std::memcpy(&v, x, sizeof v);
    return v;
}

// s0 = sum q_k cos(k theta), s1 = -sum qw_k sin(k theta), s2 = -sum qw2_k cos(k theta), for k below
// count (a multiple of kLanes). Each lane turns its own phasor by kLanes steps at a time: the
// phasors are independent (and vectorise), and each sees an eighth of the rounding steps that one
// phasor turned bin by bin would.
void trigonometricSums(const double* q, const double* qw, const double* qw2, uint32_t count,
                       double theta, double& s0, double& s1, double& s2) noexcept {
    Pair re[kPairs], im[kPairs];
    Pair a[kPairs] = {}, b[kPairs] = {}, c[kPairs] = {};
    for (uint32_t p = 0; p < kPairs; ++p) {
        re[p] = Pair{std::cos(theta * (2 * p)), std::cos(theta * (2 * p + 1))};
        im[p] = Pair{std::sin(theta * (2 * p)), std::sin(theta * (2 * p + 1))};
    }
    const double turnRe = std::cos(theta * kLanes);
    const double turnIm = std::sin(theta * kLanes);
    for (uint32_t k = 0; k < count; k += kLanes) {
        for (uint32_t p = 0; p < kPairs; ++p) {
            a[p] += loadPair(q + k + 2 * p) * re[p];
            b[p] += loadPair(qw + k + 2 * p) * im[p];
            c[p] += loadPair(qw2 + k + 2 * p) * re[p];
            const Pair turned = re[p] * turnRe - im[p] * turnIm;
            im[p] = re[p] * turnIm + im[p] * turnRe;
            re[p] = turned;
        }
    }
    s0 = s1 = s2 = 0.0;
    for (uint32_t p = 0; p < kPairs; ++p) {
        for (uint32_t j = 0; j < 2; ++j) {
            s0 += a[p][j];
            s1 -= b[p][j];
            s2 -= c[p][j];
        }
    }
}

// The largest of x[0..count).
double maxOf(const double* x, size_t count) noexcept {
    double lanes[kLanes] = {};
    size_t i = 0;
    for (; i + kLanes <= count; i += kLanes) {
        for (uint32_t j = 0; j < kLanes; ++j) {
            lanes[j] = std::max(lanes[j], x[i + j]);
        }
    }
    double peak = 0.0;
    for (double lane : lanes) {
        peak = std::max(peak, lane);
    }
    for (; i < count; ++i) {
        peak = std::max(peak, x[i]);
    }
    return peak;
}

}  // namespace

// One frame length: Hann window, zero-padded transform of twice its length (so the circular
// autocorrelation is the linear one), and the window's own autocorrelation.
struct PitchDetector::Transform {
    uint32_t size = 0;
    uint32_t paddedSize = 0;
    float* input = nullptr;
    fftwf_complex* spectrum = nullptr;
    float* output = nullptr;
    fftwf_plan forward = nullptr;
    fftwf_plan inverse = nullptr;
    std::vector<float> window;
    std::vector<double> power;  // |Y_k|^2 of the windowed frame
    double peakPower = 0.0;     // the largest of them
    // The refinement's spectral weights, made once per refinement rather than once per Newton
    // step: q_k = the kept power (doubled for the mirror bin, but at DC and Nyquist), q_k w_k and
    // q_k w_k^2; zero past the signal, up to a whole number of lanes.
    std::vector<double> q, qw, qw2;
    uint32_t weightedBins = 0;
    // The window's autocorrelation and its first two derivatives at whole lags firstLag..lastLag,
    // from its exact power spectrum (closed form, double): float FFT round-off would swamp the
    // far tail, which the refinement's ratio is sensitive to.
    std::vector<double> windowAcf[3];
    uint32_t firstLag = 0;
    uint32_t lastLag = 0;

    ~Transform() {
        std::lock_guard lock(fftwPlanMutex());
        if (forward != nullptr) {
            fftwf_destroy_plan(forward);
        }
        if (inverse != nullptr) {
            fftwf_destroy_plan(inverse);
        }
        fftwf_free(input);
        fftwf_free(spectrum);
        fftwf_free(output);
    }

    bool prepare(uint32_t frames, uint32_t lowestLag, uint32_t highestLag) {
        size = frames;
        paddedSize = 2 * frames;
        {
            std::lock_guard lock(fftwPlanMutex());
            input = fftwf_alloc_real(paddedSize);
            spectrum = fftwf_alloc_complex(paddedSize / 2 + 1);
            output = fftwf_alloc_real(paddedSize);
            if (input == nullptr || spectrum == nullptr || output == nullptr) {
                return false;
            }
            forward =
                fftwf_plan_dft_r2c_1d(static_cast<int>(paddedSize), input, spectrum, FFTW_ESTIMATE);
            inverse = fftwf_plan_dft_c2r_1d(static_cast<int>(paddedSize), spectrum, output,
                                            FFTW_ESTIMATE);
            if (forward == nullptr || inverse == nullptr) {
                return false;
            }
        }
        window.resize(size);
        for (uint32_t i = 0; i < size; ++i) {
            window[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * kPi * (i + 0.5) / size));
        }
        const uint32_t bins = paddedSize / 2 + 1;
        power.assign(bins, 0.0);
        const uint32_t laneBins = (bins + kLanes - 1) / kLanes * kLanes;
        q.assign(laneBins, 0.0);
        qw.assign(laneBins, 0.0);
        qw2.assign(laneBins, 0.0);
        // W(nu) = 0.5 D(nu) - 0.25 (e^{i pi/N} D(nu - 1/N) + e^{-i pi/N} D(nu + 1/N)).
        std::vector<double> windowPower(bins);
        uint32_t windowBins = 1;
        const std::complex<double> shift = std::polar(1.0, kPi / size);
        for (uint32_t k = 0; k < bins; ++k) {
            const double nu = double(k) / paddedSize;
            const std::complex<double> w =
                0.5 * dirichlet(nu, size) -
                0.25 * (shift * dirichlet(nu - 1.0 / size, size) +
                        std::conj(shift) * dirichlet(nu + 1.0 / size, size));
            windowPower[k] = std::norm(w);
            if (windowPower[k] > 1e-18 * windowPower[0]) {
                windowBins = k + 1;
            }
        }
        firstLag = lowestLag;
        lastLag = std::max(lowestLag, std::min(highestLag, size - 1));
        const double step = 2.0 * kPi / paddedSize;
        for (auto& acf : windowAcf) {
            acf.assign(lastLag - firstLag + 1, 0.0);
        }
        for (uint32_t lag = firstLag; lag <= lastLag; ++lag) {
            double b0 = 0.0, b1 = 0.0, b2 = 0.0;
            const std::complex<double> rotation = std::polar(1.0, step * lag);
            std::complex<double> z = 1.0;
            for (uint32_t k = 0; k < windowBins; ++k) {
                const double weight = (k == 0 || 2 * k == paddedSize) ? 1.0 : 2.0;
                const double w = step * k;
                const double q = weight * windowPower[k];
                b0 += q * z.real();
                b1 -= q * w * z.imag();
                b2 -= q * w * w * z.real();
                z *= rotation;
            }
            windowAcf[0][lag - firstLag] = b0;
            windowAcf[1][lag - firstLag] = b1;
            windowAcf[2][lag - firstLag] = b2;
        }
        return true;
    }

    // Windowed, mean-removed power spectrum of `frame` (size samples) into `power`.
    void analyse(const float* frame) noexcept {
        const double mean = sumOf(frame, size) / size;
        for (uint32_t i = 0; i < size; ++i) {
            input[i] = static_cast<float>((frame[i] - mean) * window[i]);
        }
        std::fill(input + size, input + paddedSize, 0.0f);
        fftwf_execute(forward);
        for (uint32_t k = 0; k < power.size(); ++k) {
            const double re = spectrum[k][0];
            const double im = spectrum[k][1];
            power[k] = re * re + im * im;
        }
        peakPower = maxOf(power.data(), power.size());
    }
};

PitchDetector::PitchDetector() = default;
PitchDetector::~PitchDetector() {
    std::lock_guard lock(fftwPlanMutex());
    fftwf_free(scratch_);
}

Status PitchDetector::prepare(double sampleRate) {
    if (!(sampleRate >= 8000.0 && sampleRate <= 384000.0)) {
        return Error{"pitch cannot be detected at a sample rate of " + std::to_string(sampleRate) +
                     " Hz"};
    }
    sampleRate_ = sampleRate;
    frameSize_ = frameSizeFor(sampleRate);
    minLag_ =
        std::max<uint32_t>(2, static_cast<uint32_t>(std::floor(sampleRate / (kMaxHz * 1.03))));
    maxLag_ = std::min(static_cast<uint32_t>(std::ceil(sampleRate / (kMinHz / 1.03))),
                       static_cast<uint32_t>(0.62 * frameSize_));
    short_ = std::make_unique<Transform>();
    long_ = std::make_unique<Transform>();
    // The short frame refines periods up to a fifth of it, the long one the rest (see analyze).
    const uint32_t split = frameSize_ / 5;
    if (!short_->prepare(frameSize_, 1, split + 2) ||
        !long_->prepare(2 * frameSize_, split > 2 ? split - 2 : 1, maxLag_ + 2)) {
        return Error{"the pitch detector could not plan its transforms (out of memory?)"};
    }
    {
        std::lock_guard lock(fftwPlanMutex());
        fftwf_free(scratch_);
        // Same alignment as the plans' arrays, so fftwf_execute_dft_c2r may use it.
        scratch_ = fftwf_alloc_complex(short_->paddedSize / 2 + 1);
    }
    if (scratch_ == nullptr) {
        return Error{"the pitch detector is out of memory"};
    }
    nsdf_.assign(frameSize_ + 1, 0.0);
    sorted_.assign(long_->paddedSize / 2 + 1, 0.0);
    keyLag_.assign(maxLag_ / 2 + 2, 0);  // lobes are at least two lags apart
    keyValue_.assign(maxLag_ / 2 + 2, 0.0);
    const uint32_t bins = short_->paddedSize / 2 + 1;
    lowpass_.resize(bins);
    for (uint32_t k = 0; k < bins; ++k) {
        const double hz = k * sampleRate / short_->paddedSize;
        lowpass_[k] = hz <= kPickFlatHz ? 1.0f
                      : hz >= kPickStopHz
                          ? 0.0f
                          : static_cast<float>(0.5 + 0.5 * std::cos(kPi * (hz - kPickFlatHz) /
                                                                    (kPickStopHz - kPickFlatHz)));
    }
    stream_.assign(historySize(), 0.0f);
    pending_ = 0;
    return {};
}

uint32_t PitchDetector::frameSizeFor(double sampleRate) noexcept {
    return std::bit_ceil(static_cast<uint32_t>(std::ceil(std::max(sampleRate, 8000.0) * 0.04)));
}

void PitchDetector::resetStream() noexcept {
    std::fill(stream_.begin(), stream_.end(), 0.0f);
    pending_ = 0;
}

PitchEstimate PitchDetector::analyze(const float* history) noexcept {
    PitchEstimate estimate;
    const uint32_t n = frameSize_;
    const float* frame = history + n;
    Transform& t = *short_;

    const double mean = sumOf(frame, n) / n;
    double energies[kLanes] = {};
    for (uint32_t i = 0; i < n; i += kLanes) {
        for (uint32_t j = 0; j < kLanes; ++j) {
            const double x = frame[i + j] - mean;
            t.input[i + j] = static_cast<float>(x);
            energies[j] += x * x;
        }
    }
    double energy = 0.0;
    for (double lane : energies) {
        energy += lane;
    }
    if (!(energy > 0.0) || 10.0 * std::log10(energy / n) < kSilenceDbfs) {
        return estimate;
    }

    // Stage 1: normalised square difference n(tau) = 2 r(tau) / m(tau). r comes from the
    // low-passed power spectrum, so it is scaled by its own r(0), and m by m(0).
    std::fill(t.input + n, t.input + t.paddedSize, 0.0f);
    fftwf_execute(t.forward);
    const uint32_t bins = t.paddedSize / 2 + 1;
    // The low-passed power goes to a scratch array: the spectrum itself is still needed below.
    for (uint32_t k = 0; k < bins; ++k) {
        const float re = t.spectrum[k][0];
        const float im = t.spectrum[k][1];
        scratch_[k][0] = (re * re + im * im) * lowpass_[k];
        scratch_[k][1] = 0.0f;
    }
    fftwf_execute_dft_c2r(t.inverse, scratch_, t.output);
    const double r0 = t.output[0];
    if (!(r0 > 0.0)) {
        return estimate;
    }
    const uint32_t lastLag = std::min(maxLag_ + 1, n - 1);
    double m = 2.0 * energy;
    const double m0 = m;
    const double scale = m0 / r0;  // (r / r0) / (m / m0) with one division per lag
    nsdf_[0] = 1.0;
    for (uint32_t tau = 1; tau <= lastLag; ++tau) {
        const double a = frame[tau - 1] - mean;
        const double b = frame[n - tau] - mean;
        m -= a * a + b * b;
        nsdf_[tau] = m > 1e-12 * m0 ? t.output[tau] * scale / m : 0.0;
    }

    // Key maxima: the highest point of each positive lobe after the zero-lag one.
    uint32_t tau = 1;
    while (tau < maxLag_ && nsdf_[tau] > 0.0) {
        ++tau;
    }
    // Noise-like tones (a pluck's burst at 96 kHz) have hundreds of lobes before the period.
    size_t keys = 0;
    double highest = 0.0;
    while (tau < maxLag_) {
        while (tau < maxLag_ && nsdf_[tau] <= 0.0) {
            ++tau;
        }
        uint32_t best = 0;
        while (tau < maxLag_ && nsdf_[tau] > 0.0) {
            if (tau >= minLag_ && (best == 0 || nsdf_[tau] > nsdf_[best])) {
                best = tau;
            }
            ++tau;
        }
        // A lobe cut by either end of the lag range has no peak inside it.
        if (best != 0 && nsdf_[best] >= nsdf_[best - 1] && nsdf_[best] >= nsdf_[best + 1]) {
            const double a = nsdf_[best - 1];
            const double b = nsdf_[best];
            const double c = nsdf_[best + 1];
            const double curvature = a - 2.0 * b + c;
            const double offset =
                curvature < 0.0 ? std::clamp(0.5 * (a - c) / curvature, -0.5, 0.5) : 0.0;
            keyLag_[keys] = best;
            keyValue_[keys] = b - 0.25 * (a - c) * offset;
            highest = std::max(highest, keyValue_[keys]);
            ++keys;
        }
    }
    if (keys == 0) {
        return estimate;
    }
    size_t chosen = 0;
    while (keyValue_[chosen] < kKeyMaximumRatio * highest) {
        ++chosen;
    }
    const uint32_t lag = keyLag_[chosen];
    estimate.confidence = static_cast<float>(std::clamp(keyValue_[chosen], 0.0, 1.0));
    if (estimate.confidence < kVoicedConfidence) {
        return estimate;
    }
    const double a = nsdf_[lag - 1];
    const double b = nsdf_[lag];
    const double c = nsdf_[lag + 1];
    const double curvature = a - 2.0 * b + c;
    const double coarse =
        lag + (curvature < 0.0 ? std::clamp(0.5 * (a - c) / curvature, -0.5, 0.5) : 0.0);

    // Stage 2. Below about five periods per frame the window's own correlation leaks into the
    // estimate (cents at 55 Hz); twice the frame keeps low notes as exact as high ones.
    const bool low = coarse > n / 5.0;
    if (low) {
        long_->analyse(history);
    } else {
        windowShortSpectrum();
    }
    Transform& refined = low ? *long_ : *short_;
    keepTone(refined);
    double refinedLag = coarse;
    const bool converged = refine(refined, coarse, refinedLag);
    // A refinement that wandered off the coarse peak found something else: keep the coarse one.
    const bool stayed = std::fabs(refinedLag - coarse) <= 1.0;
    double period = stayed ? refinedLag : coarse;
    if (low && highest > 1.0 && !(converged && stayed)) {
        // No peak of the long frame's correlation within a lag of the coarse period, and a
        // difference function above 1, which a consistent one cannot reach (Cauchy-Schwarz).
        // Far down, with under two periods in the frame, the low-passed autocorrelation over
        // the plain energy can bulge up to 1% of a period away from the true peak (a bright E1
        // read 8 to 19 cents sharp): the high harmonics left out of r are not spread evenly over
        // the frame, so m does not scale with r. The full-band function, whose r and m come from
        // the same signal, finds the peak in the same lobe again; it wins if the refinement
        // converges within a lag of it. Noise lowers the low-passed function, so noisy frames
        // seldom come here (and the full band would give them more noise, not less bias).
        if (const double again = fullBandPeak(frame, mean, energy, lag); again > 0.0) {
            double retau = again;
            if (refine(refined, again, retau) && std::fabs(retau - again) <= 1.0) {
                period = retau;
            }
        }
    }
    const double hz = sampleRate_ / period;
    if (!(hz >= kMinHz / 1.03 && hz <= kMaxHz * 1.03)) {
        return estimate;
    }
    estimate.voiced = true;
    estimate.hz = hz;
    return estimate;
}

void PitchDetector::windowShortSpectrum() noexcept {
    // The Hann-windowed frame's power spectrum from the plain one, without another transform:
    // the window is 0.5 - 0.5 cos(2 pi (n + 1/2) / N), and on the 2N-point grid its cosine moves
    // every bin by two, with a phase of pi / N: Y_k = X_k / 2 - s X_{k-2} - conj(s) X_{k+2}, with
    // s = e^{i pi / N} / 4. Bins past either end are mirrors (conjugates).
    Transform& t = *short_;
    const int64_t last = t.paddedSize / 2;
    const double sRe = 0.25 * std::cos(kPi / t.size);
    const double sIm = 0.25 * std::sin(kPi / t.size);
    const fftwf_complex* x = t.spectrum;
    auto windowed = [&](int64_t k, double lowRe, double lowIm, double highRe, double highIm) {
        const double re =
            0.5 * x[k][0] - (sRe * lowRe - sIm * lowIm) - (sRe * highRe + sIm * highIm);
        const double im =
            0.5 * x[k][1] - (sRe * lowIm + sIm * lowRe) - (sRe * highIm - sIm * highRe);
        t.power[k] = re * re + im * im;
    };
    // The edges, where a neighbour is a mirror.
    for (int64_t k : {int64_t{0}, int64_t{1}, last - 1, last}) {
        const int64_t low = k - 2 < 0 ? 2 - k : k - 2;
        const double lowSign = k - 2 < 0 ? -1.0 : 1.0;
        const int64_t high = k + 2 > last ? 2 * last - k - 2 : k + 2;
        const double highSign = k + 2 > last ? -1.0 : 1.0;
        windowed(k, x[low][0], lowSign * x[low][1], x[high][0], highSign * x[high][1]);
    }
    for (int64_t k = 2; k <= last - 2; ++k) {
        windowed(k, x[k - 2][0], x[k - 2][1], x[k + 2][0], x[k + 2][1]);
    }
    t.peakPower = maxOf(t.power.data(), t.power.size());
}

double PitchDetector::fullBandPeak(const float* frame, double mean, double energy,
                                   uint32_t lag) noexcept {
    Transform& t = *short_;
    const uint32_t n = frameSize_;
    const uint32_t bins = t.paddedSize / 2 + 1;
    for (uint32_t k = 0; k < bins; ++k) {
        const float re = t.spectrum[k][0];
        const float im = t.spectrum[k][1];
        scratch_[k][0] = re * re + im * im;
        scratch_[k][1] = 0.0f;
    }
    fftwf_execute_dft_c2r(t.inverse, scratch_, t.output);
    // The lobe of the low-passed function that holds the chosen key maximum.
    const uint32_t lastLag = std::min(maxLag_ + 1, n - 1);
    uint32_t first = lag;
    while (first > minLag_ && nsdf_[first - 1] > 0.0) {
        --first;
    }
    uint32_t last = lag;
    while (last + 1 < lastLag && nsdf_[last + 1] > 0.0) {
        ++last;
    }
    // n(tau) = 2 r(tau) / m(tau), now with r and m of the same signal; nsdf_ takes it over.
    double m = 2.0 * energy;
    const double m0 = m;
    uint32_t best = 0;
    for (uint32_t tau = 1; tau <= last + 1; ++tau) {
        const double a = frame[tau - 1] - mean;
        const double b = frame[n - tau] - mean;
        m -= a * a + b * b;
        if (tau + 1 >= first) {
            nsdf_[tau] = m > 1e-12 * m0 ? 2.0 * t.output[tau] / m : 0.0;
            if (tau >= first && tau <= last && (best == 0 || nsdf_[tau] > nsdf_[best])) {
                best = tau;
            }
        }
    }
    // A maximum at either end of the lobe is no peak.
    if (best <= first || best >= last) {
        return -1.0;
    }
    const double a = nsdf_[best - 1];
    const double b = nsdf_[best];
    const double c = nsdf_[best + 1];
    const double curvature = a - 2.0 * b + c;
    return best + (curvature < 0.0 ? std::clamp(0.5 * (a - c) / curvature, -0.5, 0.5) : 0.0);
}

void PitchDetector::keepTone(Transform& t) noexcept {
    // Only bins that carry power matter; low notes use few.
    const double peak = t.peakPower;
    uint32_t signalBins = static_cast<uint32_t>(t.power.size());
    while (signalBins > 1 && t.power[signalBins - 1] < 1e-14 * peak) {
        --signalBins;
    }
    // Noise rejection: bins more than 10 dB above the median (the noise floor, for the sparse
    // spectrum of a tone) and their main-lobe neighbours carry the tone; the rest is noise that
    // would only pull the peak about. A clean tone loses nothing that matters: its median bin
    // is window leakage far below 1e-6 of its power.
    // Every fourth bin is plenty for a median, at a quarter of the cost.
    size_t samples = 0;
    for (uint32_t k = 0; k < signalBins; k += 4) {
        sorted_[samples++] = t.power[k];
    }
    std::nth_element(sorted_.begin(), sorted_.begin() + samples / 2, sorted_.begin() + samples);
    const double floor = 10.0 * sorted_[samples / 2];
    const double step = 2.0 * kPi / t.paddedSize;
    constexpr int64_t kLobe = 4;  // bins either side, on the twice-padded grid
    // Bin j is kept when a bin within kLobe of it is above the floor, that is when the last such
    // bin up to j + kLobe is at least j - kLobe.
    int64_t lastAbove = -2 * kLobe - 1;
    for (int64_t k = 0; k < std::min<int64_t>(kLobe, signalBins); ++k) {
        if (t.power[k] > floor) {
            lastAbove = k;
        }
    }
    for (int64_t j = 0; j < signalBins; ++j) {
        if (j + kLobe < signalBins && t.power[j + kLobe] > floor) {
            lastAbove = j + kLobe;
        }
        t.q[j] = lastAbove >= j - kLobe ? t.power[j] : 0.0;
    }
    for (uint32_t k = 0; k < signalBins; ++k) {
        // One-sided sums: every bin but DC and Nyquist stands for itself and its mirror.
        const double q = 2.0 * t.q[k];
        const double w = step * k;
        t.q[k] = q;
        t.qw[k] = q * w;
        t.qw2[k] = q * w * w;
    }
    t.q[0] *= 0.5;
    if (signalBins == t.power.size()) {
        t.q[signalBins - 1] *= 0.5;
        t.qw[signalBins - 1] *= 0.5;
        t.qw2[signalBins - 1] *= 0.5;
    }
    const uint32_t laneBins = (signalBins + kLanes - 1) / kLanes * kLanes;
    std::fill(t.q.begin() + signalBins, t.q.begin() + laneBins, 0.0);
    std::fill(t.qw.begin() + signalBins, t.qw.begin() + laneBins, 0.0);
    std::fill(t.qw2.begin() + signalBins, t.qw2.begin() + laneBins, 0.0);
    t.weightedBins = laneBins;
}

bool PitchDetector::refine(Transform& t, double lag, double& period) noexcept {
    period = lag;
    const double step = 2.0 * kPi / t.paddedSize;
    // Newton's method on f = A / B, A(tau) = sum P_k cos(w_k tau) (the windowed signal's
    // autocorrelation), B(tau) the same for the window; both are exact trigonometric
    // interpolations of the zero-padded transforms, so no interpolation error enters.
    double tau = std::clamp(lag, double(t.firstLag), double(t.lastLag));
    bool converged = false;
    for (int iteration = 0; iteration < 8; ++iteration) {
        double a0, a1, a2;
        trigonometricSums(t.q.data(), t.qw.data(), t.qw2.data(), t.weightedBins, step * tau, a0, a1,
                          a2);
        // B varies on the scale of the frame, so a second-order Taylor step from the nearest
        // whole lag is exact to ~1e-10.
        const auto whole = static_cast<uint32_t>(
            std::clamp(std::floor(tau + 0.5), double(t.firstLag), double(t.lastLag)));
        const double d = tau - whole;
        const size_t i = whole - t.firstLag;
        const double b0 =
            t.windowAcf[0][i] + d * t.windowAcf[1][i] + 0.5 * d * d * t.windowAcf[2][i];
        const double b1 = t.windowAcf[1][i] + d * t.windowAcf[2][i];
        const double b2 = t.windowAcf[2][i];
        if (!(b0 > 0.0)) {
            return false;
        }
        const double d1 = (a1 * b0 - a0 * b1) / (b0 * b0);
        const double d2 = (a2 * b0 - a0 * b2) / (b0 * b0) - 2.0 * b1 * d1 / b0;
        if (!(d2 < 0.0)) {
            break;
        }
        const double delta = std::clamp(-d1 / d2, -0.5, 0.5);
        tau = std::clamp(tau + delta, double(t.firstLag), double(t.lastLag));
        // Newton converges quadratically: what is left after a step this small is ~1e-10.
        if (std::fabs(delta) < 1e-5) {
            converged = true;
            break;
        }
        // Still climbing away, more than a lag out: the peak is not this one's (see analyze()).
        if (std::fabs(tau - lag) > 1.0 && (tau - lag) * delta > 0.0) {
            break;
        }
    }
    period = tau;
    return converged;
}

}  // namespace liverack::core
