// Fundamental frequency of a monophonic signal, 40 Hz .. 2 kHz, to a fraction of a cent.
// Two stages: a McLeod (MPM) normalised square difference function from an FFT
// autocorrelation picks the period robustly; then the peak of the windowed autocorrelation
// divided by the window's own (Boersma 1993), evaluated between samples exactly from the power
// spectrum, refines it. Usable offline and on the analysis thread; analyze() does not allocate.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/util/Result.h"

namespace liverack::core {

struct PitchEstimate {
    bool voiced = false;
    double hz = 0.0;          // 0 when unvoiced
    float confidence = 0.0f;  // periodicity, 0..1 (1 = exactly periodic)
};

class PitchDetector {
public:
    static constexpr double kMinHz = 40.0;
    static constexpr double kMaxHz = 2000.0;
    // A frame is voiced when its periodicity reaches this (white noise stays far below; a tone
    // at 10 dB SNR reads about 0.9).
    static constexpr float kVoicedConfidence = 0.6f;
    static constexpr double kSilenceDbfs = -80.0;  // RMS below this is silence

    PitchDetector();
    ~PitchDetector();
    PitchDetector(const PitchDetector&) = delete;
    PitchDetector& operator=(const PitchDetector&) = delete;

    // Allocates and plans. The frame is about 43 ms (2048 samples at 44.1 and 48 kHz, 4096 at
    // 96 kHz); low notes are refined over twice that, so analyze() reads 2 frames of history.
    Status prepare(double sampleRate);
    static uint32_t frameSizeFor(double sampleRate) noexcept;
    double sampleRate() const noexcept { return sampleRate_; }
    uint32_t frameSize() const noexcept { return frameSize_; }
    uint32_t historySize() const noexcept { return 2 * frameSize_; }
    uint32_t hopFrames() const noexcept { return frameSize_ / 2; }

    // Estimates the pitch of the newest frameSize() samples of `history` (historySize()
    // samples, oldest first).
    PitchEstimate analyze(const float* history) noexcept;

    // Streaming: feeds samples and calls onFrame(estimate) every hopFrames() samples. The
    // estimate describes the frame ending at the latest sample.
    template <typename OnFrame>
    void process(const float* samples, size_t count, OnFrame&& onFrame) {
        const uint32_t hop = hopFrames();
        const uint32_t keep = historySize() - hop;
        while (count > 0) {
            const size_t take = std::min<size_t>(count, hop - pending_);
            std::copy_n(samples, take, stream_.begin() + keep + pending_);
            samples += take;
            count -= take;
            pending_ += static_cast<uint32_t>(take);
            consumed_ += take;
            if (pending_ == hop) {
                pending_ = 0;
                onFrame(analyze(stream_.data()));
                std::copy(stream_.begin() + hop, stream_.end(), stream_.begin());
            }
        }
    }
    void resetStream() noexcept;
    // Samples fed to process(); inside onFrame, the frame ends at the latest of them.
    uint64_t samplesConsumed() const noexcept { return consumed_; }

private:
    struct Transform;
    // Weighs the transform's power spectrum of the windowed frame for refine(): the tone's bins.
    void keepTone(Transform& transform) noexcept;
    // Refines a period from those weights by Newton's method from `lag`: `period` is where it
    // stopped, and the result says whether it converged there.
    bool refine(Transform& transform, double lag, double& period) noexcept;
    // The peak of the full-band normalised difference function of `frame` (its mean and the
    // energy about it given) within the low-passed one's lobe around `lag`, between whole lags;
    // negative when the lobe has no inner peak.
    double fullBandPeak(const float* frame, double mean, double energy, uint32_t lag) noexcept;
    void windowShortSpectrum() noexcept;

    double sampleRate_ = 48000.0;
    uint32_t frameSize_ = 2048;
    uint32_t minLag_ = 24;
    uint32_t maxLag_ = 1200;
    std::unique_ptr<Transform> short_;  // frameSize_ samples
    std::unique_ptr<Transform> long_;   // 2 * frameSize_ samples, for low notes
    float (*scratch_)[2] = nullptr;     // fftwf_complex, for the low-passed power
    std::vector<double> nsdf_;
    std::vector<double> sorted_;  // scratch for the noise floor
    std::vector<uint32_t> keyLag_;
    std::vector<double> keyValue_;
    std::vector<float> lowpass_;  // spectral weights of the period-picking stage
    std::vector<float> stream_;
    uint32_t pending_ = 0;
    uint64_t consumed_ = 0;
};

}  // namespace liverack::core
