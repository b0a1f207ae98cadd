#include "core/engine/EngineStats.h"

#include <algorithm>

namespace liverack::core {

void EngineStats::recordCallback(uint32_t frames, uint64_t busyNanoseconds,
                                 double periodNanoseconds, bool xrun) noexcept {
    callbacks_.fetch_add(1, std::memory_order_relaxed);
    frames_.fetch_add(frames, std::memory_order_relaxed);
    loadFrames_.fetch_add(frames, std::memory_order_relaxed);
    busyNanoseconds_.fetch_add(busyNanoseconds, std::memory_order_relaxed);
    if (xrun) {
        xruns_.fetch_add(1, std::memory_order_relaxed);
    }
    if (periodNanoseconds > 0.0) {
        const auto permille = static_cast<uint64_t>(
            100000.0 * static_cast<double>(busyNanoseconds) / periodNanoseconds);
        // Single writer: a plain compare-and-store is enough for the maximum.
        if (permille > maxLoadPermille_.load(std::memory_order_relaxed)) {
            maxLoadPermille_.store(permille, std::memory_order_relaxed);
        }
    }
}

EngineStatsSnapshot EngineStats::snapshot(double sampleRate) const noexcept {
    EngineStatsSnapshot s;
    s.callbacks = callbacks_.load(std::memory_order_relaxed);
    s.frames = frames_.load(std::memory_order_relaxed);
    s.xruns = xruns_.load(std::memory_order_relaxed);
    s.lateCycles = lateCycles_.load(std::memory_order_relaxed);
    s.nonFiniteSamples = nonFinite_.load(std::memory_order_relaxed);
    s.clippedSamples = clipped_.load(std::memory_order_relaxed);
    const double loadFrames = static_cast<double>(loadFrames_.load(std::memory_order_relaxed));
    if (loadFrames > 0.0 && sampleRate > 0.0) {
        const double streamNanoseconds = loadFrames / sampleRate * 1e9;
        s.dspLoadAverage = 100.0 *
                           static_cast<double>(busyNanoseconds_.load(std::memory_order_relaxed)) /
                           streamNanoseconds;
    }
    s.dspLoadMax = static_cast<double>(maxLoadPermille_.load(std::memory_order_relaxed)) / 1000.0;
    return s;
}

void EngineStats::resetLoad() noexcept {
    busyNanoseconds_.store(0, std::memory_order_relaxed);
    loadFrames_.store(0, std::memory_order_relaxed);
    maxLoadPermille_.store(0, std::memory_order_relaxed);
}

void EngineStats::resetAll() noexcept {
    callbacks_.store(0, std::memory_order_relaxed);
    frames_.store(0, std::memory_order_relaxed);
    xruns_.store(0, std::memory_order_relaxed);
    lateCycles_.store(0, std::memory_order_relaxed);
    nonFinite_.store(0, std::memory_order_relaxed);
    clipped_.store(0, std::memory_order_relaxed);
    resetLoad();
}

}  // namespace liverack::core
