// Measures a loop through a JACK client (LiveRack, or a plain pass-through client for reference)
// from what a JackTestClient played and recorded: the delay, found from white noise and checked
// with impulses; every sample checked against the played signal at that delay and a known gain;
// the frames the recorder marks suspect (cycles near an xrun or a late cycle) excused, and only
// those.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tests/support/JackTestClient.h"

namespace liverack::test {

// Channel 0: uniform white noise in ±0.5 from `seed`; channel 1: an impulse of 0.5 every
// kImpulseSpacing frames, silence between.
constexpr size_t kImpulseSpacing = 4801;  // not a multiple of any period: impulses fall anywhere
std::vector<std::vector<float>> loopSignal(size_t frames, unsigned seed);

struct LoopResult {
    long latency = -1;         // frames, from the noise; -1 when no delay fits
    size_t checkedFrames = 0;  // in the window, suspect or not
    size_t suspectFrames = 0;  // excused
    size_t brokenFrames = 0;   // not suspect, yet not the played sample at `latency` times gain
    double gainDb = 0.0;       // recorded against played, over the frames not suspect
    double residualDb = 0.0;   // error energy against the expected signal's, likewise
    std::vector<long> impulseDelays;  // one per impulse whose cycles are not suspect
};

// Checks recorded frames [from, to) against `play` delayed and scaled by `gain`; the delay is
// searched in [0, maxLatency].
LoopResult measureLoop(const JackTestClient& tester, const std::vector<std::vector<float>>& play,
                       double gain, size_t from, size_t to, long maxLatency);

// What every loop must show, as gtest expectations (and a printed line of the figures): the delay
// from the noise and from each clean impulse is `latency`, every sample not excused is exact,
// at most half the frames are excused, the gain is `gainDb` ±0.01 dB, the residual below −100 dB.
// `excusedBrokenFrames`: frames the caller can account for by a cause outside the loop (another
// client's own count of late cycles); while the broken frames stay within it, the residual (which
// they dominate) is not judged.
void expectExactLoop(const LoopResult& r, long latency, double gainDb, const std::string& what,
                     size_t excusedBrokenFrames = 0);

// Index of the first recorded frame on `channel` above `threshold`, or -1.
long firstArrival(const JackTestClient& tester, size_t channel, float threshold);

}  // namespace liverack::test
