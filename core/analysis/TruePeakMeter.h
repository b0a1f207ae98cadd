// True peak (ITU-R BS.1770-4 Annex 2): the highest absolute value of the signal oversampled, per
// channel, since prepare() or reset(). Oversampled 8x by the Oversampler the distortion effect
// use (three half-band stages, flat to 5/12 of the rate, images 64 dB down; BS.1770-4 asks for
// at least 4x below 96 kHz). Every 8th oversampled value is a sample itself, so the true peak is
// never below the sample peak.
//
// Not libebur128's true peak (which measures everything else): its interpolator evaluates a 49-tap
// filter per output sample in double precision through a circular index, 0.33 % of a core for a
// stereo 48 kHz stream (AnalysisBench), half the whole live analysis; this is a quarter of that.
#pragma once

#include <cstdint>
#include <vector>

#include "core/dsp/Oversampler.h"
#include "core/util/Result.h"

namespace liverack::core {

class TruePeakMeter {
public:
    static constexpr uint32_t kMaxChannels = 64;

    Status prepare(double sampleRate, uint32_t channels);
    void reset();
    // Planar float input, any number of frames; allocation-free.
    void process(const float* const* channels, uint32_t frames);

    // Linear peak of channel c (0 when nothing was measured).
    double peak(uint32_t channel) const noexcept;

private:
    std::vector<Oversampler> oversamplers_;  // one per channel
    std::vector<float> peaks_;
};

}  // namespace liverack::core
