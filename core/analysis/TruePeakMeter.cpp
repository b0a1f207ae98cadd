#include "core/analysis/TruePeakMeter.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace liverack::core {

Status TruePeakMeter::prepare(double sampleRate, uint32_t channels) {
    if (!(sampleRate >= 8000.0 && sampleRate <= 768000.0) || channels == 0 ||
        channels > kMaxChannels) {
        return Error{"true peak cannot be measured at " + std::to_string(sampleRate) + " Hz with " +
                     std::to_string(channels) + " channels"};
    }
    oversamplers_.assign(channels, Oversampler());
    peaks_.assign(channels, 0.0f);
    return {};
}

void TruePeakMeter::reset() {
    for (Oversampler& o : oversamplers_) {
        o.reset();
    }
    std::fill(peaks_.begin(), peaks_.end(), 0.0f);
}

void TruePeakMeter::process(const float* const* channels, uint32_t frames) {
    for (size_t c = 0; c < oversamplers_.size(); ++c) {
        Oversampler& o = oversamplers_[c];
        float highest = peaks_[c];
        for (uint32_t done = 0; done < frames; done += Oversampler::kMaxFrames) {
            const uint32_t count = std::min(frames - done, Oversampler::kMaxFrames);
            o.upsample(channels[c] + done, count);
            // The 8·count values, in the two halves the interpolator leaves them in.
            for (const float* half : {o.evenSamples(), o.oddSamples()}) {
                for (uint32_t i = 0; i < 4 * count; ++i) {
                    highest = std::max(highest, std::fabs(half[i]));
                }
            }
        }
        peaks_[c] = highest;
    }
}

double TruePeakMeter::peak(uint32_t channel) const noexcept {
    return channel < peaks_.size() ? double(peaks_[channel]) : 0.0;
}

}  // namespace liverack::core
