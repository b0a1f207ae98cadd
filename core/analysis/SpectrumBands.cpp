#include "core/analysis/SpectrumBands.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace liverack::core {

void SpectrumBands::reduce(const SpectrumSnapshot& spectrum, float minHz, float maxHz,
                           std::span<float> out) noexcept {
    const size_t bands = out.size();
    const uint32_t bins = spectrum.binCount;
    if (bands == 0) {
        return;
    }
    if (bins < 2 || spectrum.fftSize == 0 || spectrum.sampleRate <= 0.0 || !(maxHz > minHz)) {
        std::fill(out.begin(), out.end(), -std::numeric_limits<float>::infinity());
        return;
    }
    const double binHz = spectrum.sampleRate / spectrum.fftSize;
    const double ratio = std::log(double(maxHz) / double(minHz));
    const auto edgeHz = [&](double i) { return minHz * std::exp(ratio * i / double(bands)); };
    for (size_t b = 0; b < bands; ++b) {
        // Bins whose centres k * binHz lie in [low, high).
        const double low = edgeHz(double(b));
        const double high = edgeHz(double(b + 1));
        const auto first = static_cast<uint32_t>(std::ceil(low / binHz));
        const auto end = std::min<uint32_t>(static_cast<uint32_t>(std::ceil(high / binHz)), bins);
        if (first < end) {
            out[b] = *std::max_element(spectrum.magnitudeDb.begin() + first,
                                       spectrum.magnitudeDb.begin() + end);
            continue;
        }
        const double position = std::clamp(edgeHz(double(b) + 0.5) / binHz, 0.0, bins - 1.0);
        const uint32_t k = std::min(static_cast<uint32_t>(position), bins - 2);
        const double t = position - k;
        const float a = spectrum.magnitudeDb[k];
        const float c = spectrum.magnitudeDb[k + 1];
        // -inf (digital silence) stays -inf rather than becoming NaN through 0 * -inf.
        out[b] = (t <= 0.0) ? a : (t >= 1.0) ? c : static_cast<float>((1.0 - t) * a + t * c);
    }
}

}  // namespace liverack::core
