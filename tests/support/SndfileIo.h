// Reads and writes audio files with libsndfile directly, independent of core/io, so file tests
// have an oracle that is not the code under test.
#pragma once

#include <string>
#include <vector>

namespace liverack::test {

struct PlanarAudio {
    double sampleRate = 0.0;
    int format = 0;                            // libsndfile SF_FORMAT_* of the file
    std::vector<std::vector<float>> channels;  // channels × frames
    size_t frames() const { return channels.empty() ? 0 : channels[0].size(); }
};

// 32-bit float WAV. False on failure.
bool writeFloatWav(const std::string& path, double sampleRate,
                   const std::vector<std::vector<float>>& channels);
// Empty channels when the file cannot be read.
PlanarAudio readAudio(const std::string& path);

}  // namespace liverack::test
