// Reduces a magnitude spectrum (one value per FFT bin) to bands equally spaced in log frequency,
// as a remote monitor draws it: fewer values than pixels, none of the peaks lost.
#pragma once

#include <cstdint>
#include <span>

#include "core/analysis/AnalysisSnapshots.h"

namespace liverack::core {

class SpectrumBands {
public:
    // Band i of out.size() covers minHz * (maxHz / minHz)^(i / N) .. ^((i + 1) / N). Each band is
    // the largest dB value of the bins whose centres fall in it; a band narrower than a bin takes
    // the spectrum interpolated linearly (in dB) at the band's geometric centre.
    static void reduce(const SpectrumSnapshot& spectrum, float minHz, float maxHz,
                       std::span<float> out) noexcept;
};

}  // namespace liverack::core
