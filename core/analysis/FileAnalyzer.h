// Measures a whole audio file offline, for `liverack analyze`: per-channel sample peak and RMS,
// true peak, EBU R128 loudness, the long-term spectrum's peak and a pitch track.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/Result.h"

namespace liverack::core {

struct FileAnalysis {
    struct PitchPoint {
        double timeSeconds;  // centre of the analysed frame
        double hz;           // 0 when unvoiced
        double confidence;
    };

    std::string file;
    double sampleRate = 0.0;
    uint32_t channels = 0;
    double durationSeconds = 0.0;
    // dB values are -inf when there is nothing to measure (silence, or too short a file).
    std::vector<double> samplePeakDbfs;  // per channel
    std::vector<double> rmsDbfs;         // per channel, over the whole file
    double truePeakDbtp = 0.0;
    double integratedLufs = 0.0;
    double loudnessRangeLu = 0.0;
    double momentaryMaxLufs = 0.0;
    double shortTermMaxLufs = 0.0;
    double spectrumPeakHz = 0.0;  // of the mean spectrum of the channels' mean
    double spectrumPeakDbfs = 0.0;
    double pitchMedianHz = 0.0;  // over voiced frames; 0 when none
    std::string pitchNote;       // of the median, "" when none
    double pitchCents = 0.0;
    double voicedFraction = 0.0;
    std::vector<PitchPoint> track;
};

class FileAnalyzer {
public:
    static constexpr uint32_t kSpectrumFftSize = 8192;

    // A sentence for a person on failure (missing, unreadable or corrupt file).
    static Result<FileAnalysis> analyze(const std::string& path);
    // The `analyze --json` object of DESIGN.md, keys in its order; non-finite numbers are null.
    static nlohmann::ordered_json toJson(const FileAnalysis& analysis);
    // The same figures as a table for people.
    static std::string toTable(const FileAnalysis& analysis);
};

}  // namespace liverack::core
