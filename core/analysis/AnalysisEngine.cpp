// The analysis thread: see AnalysisEngine.h.
#include "core/analysis/AnalysisEngine.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace liverack::core {

struct AnalysisEngine::Worker {
    double sampleRate = 48000.0;
    uint32_t channels = 2;
};

AnalysisEngine::AnalysisEngine(SampleRing& preTap, SampleRing& postTap)
    : preTap_(preTap), postTap_(postTap) {}

AnalysisEngine::~AnalysisEngine() {
    stop();
}

void AnalysisEngine::start(double sampleRate, uint32_t channels) {
    stop();
    worker_ = std::make_unique<Worker>();
    worker_->sampleRate = sampleRate;
    worker_->channels = channels;
    stopRequested_.store(false, std::memory_order_release);
    running_.store(true, std::memory_order_release);
    thread_ = std::thread([this] { run(); });
}

void AnalysisEngine::stop() {
    if (thread_.joinable()) {
        stopRequested_.store(true, std::memory_order_release);
        thread_.join();
    }
    running_.store(false, std::memory_order_release);
}

void AnalysisEngine::run() {
    while (!stopRequested_.load(std::memory_order_acquire)) {
        framesAnalysed_[0].fetch_add(preTap_.discard(), std::memory_order_relaxed);
        framesAnalysed_[1].fetch_add(postTap_.discard(), std::memory_order_relaxed);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void AnalysisEngine::setSpectrumTap(Tap tap) noexcept {
    spectrumTap_.store(tap);
}
void AnalysisEngine::setFftSize(uint32_t size) noexcept {
    fftSize_.store(size);
}
void AnalysisEngine::setWindow(SpectrumWindow window) noexcept {
    window_.store(window);
}
void AnalysisEngine::setOverlap(float fraction) noexcept {
    overlap_.store(fraction);
}
void AnalysisEngine::setAveragingSeconds(float seconds) noexcept {
    averagingSeconds_.store(seconds);
}
void AnalysisEngine::setPitchTap(Tap tap) noexcept {
    pitchTap_.store(tap);
}
void AnalysisEngine::setReferenceA4(float hz) noexcept {
    referenceA4_.store(hz);
}

}  // namespace liverack::core
