// Averaged magnitude spectrum with FFTW3f (r2c, every plan made once in prepare), peak hold,
// an interpolated peak and log-frequency spectrogram columns, from a mono stream.
#pragma once

#include <array>
#include <complex>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/analysis/AnalysisSnapshots.h"
#include "core/analysis/SpectrumWindow.h"
#include "core/util/Result.h"

namespace liverack::core {

struct SpectrumSettings {
    uint32_t fftSize = 8192;  // power of two, 512 .. 32768
    SpectrumWindow window = SpectrumWindow::Hann;
    float overlap = 0.75f;          // 0.5 .. 0.875
    float averagingSeconds = 0.1f;  // time constant of the exponential average; 0 = none
};

class SpectrumAnalyzer {
public:
    static constexpr uint32_t kMinFftSize = 512;
    static constexpr uint32_t kMaxFftSize = 32768;
    static constexpr float kFloorDb = -200.0f;  // what digital silence reads
    static constexpr float kSpectrogramMinHz = 20.0f;

    SpectrumAnalyzer();
    ~SpectrumAnalyzer();
    SpectrumAnalyzer(const SpectrumAnalyzer&) = delete;
    SpectrumAnalyzer& operator=(const SpectrumAnalyzer&) = delete;

    // Allocates and plans every size up to maxFftSize. Off the real-time path.
    Status prepare(double sampleRate, uint32_t maxFftSize = kMaxFftSize);
    // Never allocates. Clamps; a new size or window restarts the average and the peak hold.
    void configure(const SpectrumSettings& settings) noexcept;
    const SpectrumSettings& settings() const noexcept { return settings_; }

    // Feeds mono samples; calls onFrame() after each new frame (every hop), when the results
    // below describe that frame.
    template <typename OnFrame>
    void process(const float* samples, size_t count, OnFrame&& onFrame) {
        while (count > 0) {
            const size_t take = std::min<size_t>(count, hopFrames_ - pending_);
            write(samples, take);
            samples += take;
            count -= take;
            pending_ += static_cast<uint32_t>(take);
            if (pending_ == hopFrames_) {
                pending_ = 0;
                computeFrame();
                onFrame();
            }
        }
    }
    void process(const float* samples, size_t count) {
        process(samples, count, [] {});
    }
    void resetAverage() noexcept;
    void resetPeakHold() noexcept;

    double sampleRate() const noexcept { return sampleRate_; }
    uint32_t fftSize() const noexcept { return settings_.fftSize; }
    uint32_t binCount() const noexcept { return settings_.fftSize / 2 + 1; }
    uint32_t hopFrames() const noexcept { return hopFrames_; }
    double binHz() const noexcept { return sampleRate_ / settings_.fftSize; }
    uint64_t framesComputed() const noexcept { return frames_; }
    // Samples fed since prepare(); inside onFrame, the frame ends at the latest of them.
    uint64_t samplesConsumed() const noexcept { return consumed_; }

    // Results of the latest frame; binCount() values each.
    const float* magnitudeDb() const noexcept {  // averaged
        updateDb();
        return averageDb_.data();
    }
    const float* peakHoldDb() const noexcept {
        updateDb();
        return holdDb_.data();
    }
    float peakHz() const noexcept { return peakHz_; }
    float peakDb() const noexcept { return peakDb_; }
    // Copies the results into a snapshot (binCount() values, not the whole array).
    void fillSnapshot(SpectrumSnapshot& snapshot) const noexcept;
    // The latest frame (not averaged) as log-spaced bands from 20 Hz to Nyquist: each band reads
    // its loudest bin, or the level interpolated at its centre when it holds no bin.
    void fillColumn(SpectrogramColumn& column) const noexcept;

    // |W(offset)| / |W(0)| of the window's transform, offset in bins (exact for N points).
    static double windowResponse(SpectrumWindow window, uint32_t size, double offsetBins) noexcept;

private:
    struct Plans;
    void write(const float* samples, size_t count) noexcept;
    void computeFrame() noexcept;
    void findPeak() noexcept;
    void planColumnBands() noexcept;
    // dB values are made when read: a file's long-term spectrum is read once, not every frame.
    void updateDb() const noexcept;

    double sampleRate_ = 48000.0;
    uint32_t maxFftSize_ = kMaxFftSize;
    SpectrumSettings settings_;
    uint32_t hopFrames_ = 2048;
    uint32_t pending_ = 0;
    uint64_t frames_ = 0;
    uint64_t consumed_ = 0;
    uint64_t framesAveraged_ = 0;
    double windowSum_ = 1.0;

    std::unique_ptr<Plans> plans_;
    std::vector<float> history_;  // ring of the last maxFftSize_ samples
    size_t writePosition_ = 0;
    std::vector<float> window_;
    std::vector<double> framePower_;  // calibrated so a full-scale sine reads 1
    std::vector<double> averagePower_;
    std::vector<double> holdPower_;
    mutable std::vector<float> averageDb_;
    mutable std::vector<float> holdDb_;
    mutable bool dbStale_ = true;
    float peakHz_ = 0.0f;
    float peakDb_ = kFloorDb;
    std::array<uint32_t, kSpectrogramRows + 1> bandFirstBin_{};
    std::array<float, kSpectrogramRows> bandCentreBin_{};
};

}  // namespace liverack::core
