// The analysis thread: drains the pre- and post-chain sample rings, runs the meters, loudness,
// spectrum and pitch measurements, and publishes snapshots the window reads without waiting.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include <boost/lockfree/spsc_queue.hpp>

#include "core/analysis/AnalysisSnapshots.h"
#include "core/analysis/SpectrumWindow.h"
#include "core/engine/SampleTaps.h"
#include "core/rt/LatestValue.h"
#include "core/rt/SampleRing.h"

namespace liverack::core {

class LevelMeter;
class LoudnessMeter;
class SpectrumAnalyzer;
class PitchDetector;

class AnalysisEngine {
public:
    static constexpr size_t kSpectrogramQueueColumns = 1024;

    // The rings come from SampleTaps::analysis(Tap::Pre / Tap::Post) and must outlive
    // this object.
    AnalysisEngine(SampleRing& preTap, SampleRing& postTap);
    ~AnalysisEngine();
    AnalysisEngine(const AnalysisEngine&) = delete;
    AnalysisEngine& operator=(const AnalysisEngine&) = delete;

    // Control thread. Allocates and plans every FFT size here, then spawns the thread. Calling
    // start() while running restarts with the new format.
    void start(double sampleRate, uint32_t channels);
    void stop();
    bool isRunning() const noexcept { return running_.load(std::memory_order_acquire); }

    // GUI thread reads (a single reader each).
    LatestValue<LevelSnapshot>& levels(Tap tap) noexcept {
        return tap == Tap::Pre ? preLevels_ : postLevels_;
    }
    LatestValue<LoudnessSnapshot>& loudness() noexcept { return loudness_; }  // post-chain
    LatestValue<SpectrumSnapshot>& spectrum() noexcept { return spectrum_; }
    LatestValue<PitchSnapshot>& pitch() noexcept { return pitch_; }
    // The same figures in one value, for one more reader (the web monitor's thread).
    LatestValue<MonitorSnapshot>& monitor() noexcept { return monitor_; }
    // Oldest first; false when no column is waiting.
    bool popSpectrogramColumn(SpectrogramColumn& out) noexcept { return columns_.pop(out); }

    // Settings, from any thread; applied by the analysis thread at its next pass. Out-of-range
    // values are clamped (FFT size to a power of two in 512..32768).
    void setSpectrumTap(Tap tap) noexcept;
    void setFftSize(uint32_t size) noexcept;
    void setWindow(SpectrumWindow window) noexcept;
    void setOverlap(float fraction) noexcept;          // 0.5 .. 0.875
    void setAveragingSeconds(float seconds) noexcept;  // 0 = none
    void setPitchTap(Tap tap) noexcept;
    void setReferenceA4(float hz) noexcept;  // 400 .. 480
    // Whether anyone reads the spectrum (and the spectrogram's columns), and the pitch: a
    // minimised window with no web page lets the thread skip them. Levels and loudness are
    // always measured (the integrated loudness must not miss a second). On by default.
    void setSpectrumWanted(bool wanted) noexcept {
        spectrumWanted_.store(wanted, std::memory_order_relaxed);
    }
    void setPitchWanted(bool wanted) noexcept {
        pitchWanted_.store(wanted, std::memory_order_relaxed);
    }

    void resetLoudness() noexcept { resetLoudness_.store(true, std::memory_order_release); }
    void resetPeakHold() noexcept { resetPeakHold_.store(true, std::memory_order_release); }
    void resetClips(Tap tap) noexcept {
        resetClips_[tap == Tap::Pre ? 0 : 1].store(true, std::memory_order_release);
    }

    // Frames the analysis thread has consumed from each ring (for tests and statistics).
    uint64_t framesAnalysed(Tap tap) const noexcept {
        return framesAnalysed_[tap == Tap::Pre ? 0 : 1].load(std::memory_order_relaxed);
    }

private:
    struct Worker;
    void run();

    SampleRing& preTap_;
    SampleRing& postTap_;
    std::unique_ptr<Worker> worker_;
    std::thread thread_;
    std::atomic<bool> running_{false};
    std::atomic<bool> stopRequested_{false};

    LatestValue<LevelSnapshot> preLevels_;
    LatestValue<LevelSnapshot> postLevels_;
    LatestValue<LoudnessSnapshot> loudness_;
    LatestValue<SpectrumSnapshot> spectrum_;
    LatestValue<PitchSnapshot> pitch_;
    LatestValue<MonitorSnapshot> monitor_;
    boost::lockfree::spsc_queue<SpectrogramColumn> columns_{kSpectrogramQueueColumns};

    std::atomic<Tap> spectrumTap_{Tap::Post};
    std::atomic<uint32_t> fftSize_{8192};
    std::atomic<SpectrumWindow> window_{SpectrumWindow::Hann};
    std::atomic<float> overlap_{0.75f};
    std::atomic<float> averagingSeconds_{0.1f};
    std::atomic<Tap> pitchTap_{Tap::Post};
    std::atomic<float> referenceA4_{440.0f};
    std::atomic<bool> spectrumWanted_{true};
    std::atomic<bool> pitchWanted_{true};
    std::atomic<bool> resetLoudness_{false};
    std::atomic<bool> resetPeakHold_{false};
    std::atomic<bool> resetClips_[2] = {false, false};
    std::atomic<uint64_t> framesAnalysed_[2] = {0, 0};
};

}  // namespace liverack::core
