// True peak (ITU-R BS.1770-4 Annex 2): the highest absolute value of the signal oversampled 4x
// (2x from 96 kHz, none from 192 kHz), per channel, since prepare() or reset().
//
// Written here rather than taken from libebur128 (which measures everything else): its true-peak
// interpolator evaluates a 49-tap filter per output sample in double precision with a circular
// index, 0.44 % of a core for a stereo 48 kHz stream, more than the rest of the loudness
// measurement and the window's spectrum together. This is the same kind of filter (a windowed sinc,
// 12 taps per phase, whose phase 0 passes the samples themselves) run as a polyphase filter over
// contiguous float blocks, which the compiler vectorises.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/util/Result.h"

namespace liverack::core {

class TruePeakMeter {
public:
    static constexpr uint32_t kMaxChannels = 64;

    Status prepare(double sampleRate, uint32_t channels);
    void reset();
    // Planar float input, any number of frames. Off the audio thread (it is allocation-free, but
    // the analysis thread is where it runs).
    void process(const float* const* channels, uint32_t frames);

    uint32_t oversampling() const noexcept { return factor_; }
    // Linear peak of channel c (0 when nothing was measured).
    double peak(uint32_t channel) const noexcept;

private:
    static constexpr uint32_t kTapsPerPhase = 12;
    static constexpr uint32_t kBlockFrames = 1024;

    uint32_t factor_ = 4;
    uint32_t channels_ = 0;
    // coefficients_[p][t]: phase p (1..factor-1; phase 0 is the input itself), tap t, applied to
    // the input kTapsPerPhase - 1 - t samples before the newest.
    std::vector<std::array<float, kTapsPerPhase>> coefficients_;
    // Per channel: the last kTapsPerPhase - 1 inputs, then the current block.
    std::vector<std::vector<float>> history_;
    std::vector<float> output_;  // one phase of one block
    std::vector<double> peaks_;
};

}  // namespace liverack::core
