// The fixed-size values the analysis thread publishes for the window (through LatestValue and an
// SPSC queue): trivially copyable, no heap, so publishing never allocates. Sequence numbers are
// shared by all snapshots of one AnalysisEngine and increase with every publication; 0 means
// nothing was published yet. streamTimeSeconds counts the tap's frames since start().
#pragma once

#include <array>
#include <cstdint>

namespace liverack::core {

constexpr uint32_t kMaxMeterChannels = 8;
constexpr uint32_t kMaxSpectrumBins = 16385;  // 32768-point FFT
constexpr uint32_t kSpectrogramRows = 256;    // log-spaced bands, 20 Hz .. Nyquist

// Levels in dBFS; -inf for digital silence.
struct ChannelLevel {
    float peakDb;        // largest |sample| over the last 300 ms
    float rmsDb;         // RMS over the last 300 ms
    float peakHoldDb;    // held for 2 s, then falls at 20 dB/s
    uint64_t clipCount;  // samples at or above 0 dBFS since the last reset
};

struct LevelSnapshot {
    uint64_t sequence;
    double streamTimeSeconds;
    uint32_t channelCount;
    std::array<ChannelLevel, kMaxMeterChannels> channels;
};

// EBU R128 / ITU-R BS.1770-4 figures of the post-chain signal; -inf while not yet measurable.
struct LoudnessSnapshot {
    uint64_t sequence;
    double streamTimeSeconds;
    float momentaryLufs;
    float shortTermLufs;
    float integratedLufs;
    float loudnessRangeLu;
    float truePeakDbtp;
};

// One averaged magnitude spectrum; only the first binCount (fftSize / 2 + 1) entries are valid.
// A full-scale sine reads 0 dBFS at its bin.
struct SpectrumSnapshot {
    uint64_t sequence;
    double streamTimeSeconds;
    double sampleRate;
    uint32_t fftSize;
    uint32_t binCount;
    std::array<float, kMaxSpectrumBins> magnitudeDb;
    std::array<float, kMaxSpectrumBins> peakHoldDb;  // highest since resetPeakHold()
    float peakHz;                                    // strongest component, refined between bins
    float peakDb;  // its level, corrected for the window's scalloping
};

// One spectrogram column: levelDb[0] is the band at minHz, the last the band ending at maxHz,
// bands equally spaced in log frequency.
struct SpectrogramColumn {
    uint64_t sequence;
    double streamTimeSeconds;
    float minHz;
    float maxHz;
    std::array<float, kSpectrogramRows> levelDb;
};

struct PitchSnapshot {
    uint64_t sequence;
    double streamTimeSeconds;
    bool voiced;
    float hz;          // 0 when unvoiced
    float confidence;  // 0..1
    int midiNote;      // nearest equal-tempered note (69 = A4)
    float cents;       // from that note, -50..+50
    float referenceA4Hz;
    std::array<char, 8> noteName;  // "A4", "C#3"; empty when unvoiced
};

// Everything a remote monitor shows, in one value for a second reader (the web server's thread)
// beside the window: both taps' levels, the loudness, the pitch and the spectrum reduced to
// kMonitorSpectrumBands log-spaced bands (what a page or a phone draws; 4 KB, not 128 KB).
constexpr uint32_t kMonitorSpectrumBands = 256;
constexpr float kMonitorSpectrumMinHz = 20.0f;
constexpr float kMonitorSpectrumMaxHz = 20000.0f;  // or Nyquist, if lower

struct MonitorSnapshot {
    uint64_t sequence;
    LevelSnapshot preLevels;
    LevelSnapshot postLevels;
    LoudnessSnapshot loudness;
    PitchSnapshot pitch;
    double spectrumSampleRate;
    uint32_t spectrumFftSize;
    float spectrumPeakHz;
    float spectrumPeakDb;
    float spectrumMinHz;
    float spectrumMaxHz;
    // Band i covers minHz * (maxHz / minHz)^(i / N) .. ^((i + 1) / N): the strongest bin in it,
    // or the spectrum interpolated at its centre when it is narrower than a bin. dBFS.
    std::array<float, kMonitorSpectrumBands> spectrumDb;
};

}  // namespace liverack::core
