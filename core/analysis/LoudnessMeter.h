// EBU R128 / ITU-R BS.1770-4 loudness through libebur128: momentary, short-term, integrated,
// loudness range, and true peak (TruePeakMeter), from planar float audio. Off the audio thread
// only.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/analysis/TruePeakMeter.h"
#include "core/util/Result.h"

namespace liverack::core {

class LoudnessMeter {
public:
    // Exact keeps every 100 ms block (what a file measurement wants); Bounded uses libebur128's
    // 0.1 LU histogram, so a session of any length measures in constant memory.
    enum class History { Exact, Bounded };

    LoudnessMeter();
    ~LoudnessMeter();
    LoudnessMeter(const LoudnessMeter&) = delete;
    LoudnessMeter& operator=(const LoudnessMeter&) = delete;

    // One channel is measured as dual mono (a mono file plays on both loudspeakers); 2 as L/R;
    // more in the ITU order L, R, C, LFE (not measured), Ls, Rs.
    Status prepare(double sampleRate, uint32_t channels, History history = History::Exact);
    void process(const float* const* channels, uint32_t frames);
    // Forgets everything measured so far (integrated, range, true peak).
    Status reset();

    // LUFS / LU / dBTP; -inf while not yet measurable. Momentary and short-term loudness are those
    // of the 400 ms and 3 s ending at the latest 100 ms boundary of the stream (they move in the
    // 10 Hz steps EBU Tech 3341 asks for).
    float momentaryLufs() const;
    float shortTermLufs() const;
    float integratedLufs() const;
    float loudnessRangeLu() const;
    float truePeakDbtp() const;
    double secondsMeasured() const noexcept { return double(framesMeasured_) / sampleRate_; }

private:
    static constexpr uint32_t kChunkFrames = 4096;
    // 100 ms blocks in the short-term window.
    static constexpr uint32_t kShortTermBlocks = 30;
    static constexpr uint32_t kMomentaryBlocks = 4;

    float loudnessOfLatestBlocks(uint32_t blocks) const;

    struct State;  // owns the libebur128 state (an anonymous C struct, not forward-declarable)
    std::unique_ptr<State> state_;
    double sampleRate_ = 48000.0;
    uint32_t channels_ = 0;
    History history_ = History::Exact;
    uint64_t framesMeasured_ = 0;
    std::vector<float> interleaved_;
    TruePeakMeter truePeak_;
    // Momentary and short-term loudness come from the mean-square energy of each 100 ms block
    // (libebur128's own 100 ms window, read once per block): asking libebur128 for a 3 s window
    // sums 3 s of samples at every call, which at 10 Hz was a tenth of the analysis thread.
    uint32_t blockFrames_ = 4800;
    uint32_t framesIntoBlock_ = 0;
    std::array<double, kShortTermBlocks> blockEnergy_{};  // a ring, newest at newestBlock_
    uint32_t newestBlock_ = 0;
    uint32_t blocksMeasured_ = 0;  // up to kShortTermBlocks
};

}  // namespace liverack::core
