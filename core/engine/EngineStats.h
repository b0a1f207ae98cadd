// Statistics the audio thread keeps about itself, in atomics any thread may read.
#pragma once

#include <atomic>
#include <cstdint>

namespace liverack::core {

struct EngineStatsSnapshot {
    uint64_t callbacks = 0;
    uint64_t frames = 0;
    uint64_t xruns = 0;
    // Callbacks that ended after their cycle's deadline, as the backend's own clock saw it. On
    // PipeWire's JACK a late client is not told of an xrun: this is where its dropouts show.
    uint64_t lateCycles = 0;
    uint64_t nonFiniteSamples = 0;  // NaN/Inf caught by the safety stage
    uint64_t clippedSamples = 0;    // output samples clamped to ±1
    uint64_t droppedAnalysisFrames = 0;
    double dspLoadAverage = 0.0;  // % of the block period, since start (or reset)
    double dspLoadMax = 0.0;      // % of the block period, worst single callback
};

class EngineStats {
public:
    void recordCallback(uint32_t frames, uint64_t busyNanoseconds, double periodNanoseconds,
                        bool xrun) noexcept;
    void recordLateCycle() noexcept { lateCycles_.fetch_add(1, std::memory_order_relaxed); }
    void addNonFinite(uint64_t count) noexcept {
        nonFinite_.fetch_add(count, std::memory_order_relaxed);
    }
    void addClipped(uint64_t count) noexcept {
        clipped_.fetch_add(count, std::memory_order_relaxed);
    }

    // Off the audio thread.
    EngineStatsSnapshot snapshot(double sampleRate) const noexcept;
    void resetXruns() noexcept { xruns_.store(0, std::memory_order_relaxed); }
    void resetLoad() noexcept;
    void resetAll() noexcept;

private:
    std::atomic<uint64_t> callbacks_{0};
    std::atomic<uint64_t> frames_{0};
    std::atomic<uint64_t> xruns_{0};
    std::atomic<uint64_t> lateCycles_{0};
    std::atomic<uint64_t> nonFinite_{0};
    std::atomic<uint64_t> clipped_{0};
    std::atomic<uint64_t> busyNanoseconds_{0};
    std::atomic<uint64_t> loadFrames_{0};       // frames since the load was last reset
    std::atomic<uint64_t> maxLoadPermille_{0};  // worst callback, in 1/1000 of a percent
};

}  // namespace liverack::core
