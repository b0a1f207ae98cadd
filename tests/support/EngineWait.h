// Waiting on a running engine the way its owner does: calling poll() (housekeeping, stream-loss
// detection) at a steady cadence until a condition holds or the time is up.
#pragma once

#include <chrono>
#include <thread>

#include "core/engine/AudioEngine.h"

namespace liverack::test {

// Polls `engine` every 20 ms until `condition` holds or `seconds` pass; the condition's value.
template <typename Condition>
bool waitFor(core::AudioEngine& engine, Condition condition, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(seconds));
    while (!condition() && std::chrono::steady_clock::now() < deadline) {
        engine.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll cadence
    }
    return condition();
}

}  // namespace liverack::test
