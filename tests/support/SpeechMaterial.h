// Test material for the voice effects: sentences spoken by espeak-ng (at its native 22050 Hz,
// resampled with libsoxr's very high quality), joined by pauses whose places are known, and
// seeded pink noise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace liverack::test {

struct Speech {
    std::vector<float> samples;
    // [begin, end) sample ranges of each sentence and of each pause between and after them.
    std::vector<std::pair<size_t, size_t>> sentences;
    std::vector<std::pair<size_t, size_t>> pauses;
};

// The sentences spoken by `voice` (an espeak-ng voice name) at `rate`, each followed by
// `pauseSeconds` of digital silence; the files go to `folder`. Empty samples on failure.
Speech speak(const std::vector<std::string>& sentences, const std::string& voice, double rate,
             double pauseSeconds, const std::string& folder);

// Pink noise (Voss–McCartney with 16 rows, seeded) with the given RMS level in dBFS.
std::vector<float> pinkNoise(size_t frames, float rmsDbfs, uint32_t seed);

// Mean square of x over [begin, end).
double meanSquare(const std::vector<float>& x, size_t begin, size_t end);
double toDb(double meanSquare);

}  // namespace liverack::test
