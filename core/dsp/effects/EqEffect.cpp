#include "core/dsp/effects/EqEffect.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace liverack::core {
namespace {

// Default centre frequencies: spread over the audible range so eight bands switched on as
// peaks start out covering it evenly.
constexpr std::array<float, EqEffect::kBands> kDefaultFrequencies = {
    60.0f, 150.0f, 400.0f, 1000.0f, 2500.0f, 5000.0f, 10000.0f, 16000.0f};

std::vector<ParameterInfo> bandParameters() {
    std::vector<ParameterInfo> all;
    for (int band = 0; band < EqEffect::kBands; ++band) {
        const std::string prefix = "b" + std::to_string(band + 1) + ".";
        const std::string name = "Band " + std::to_string(band + 1) + " ";
        all.push_back(ParameterInfo::choice(
            prefix + "type", name + "type",
            {"off", "peak", "lowshelf", "highshelf", "lowpass", "highpass", "bandpass", "notch"},
            0));
        all.push_back(ParameterInfo::continuous(prefix + "freq_hz", name + "frequency", "Hz", 20.0f,
                                                20000.0f, kDefaultFrequencies[band],
                                                ParameterSkew::Logarithmic));
        all.push_back(ParameterInfo::continuous(prefix + "gain_db", name + "gain", "dB", -24.0f,
                                                24.0f, 0.0f));
        all.push_back(ParameterInfo::continuous(prefix + "q", name + "Q", "", 0.1f, 18.0f, 0.7071f,
                                                ParameterSkew::Logarithmic));
        all.push_back(ParameterInfo::continuous(prefix + "slope_db", name + "slope", "dB/oct",
                                                12.0f, 48.0f, 12.0f, ParameterSkew::Linear, 12.0f));
    }
    return all;
}

}  // namespace

const EffectInfo& EqEffect::staticInfo() {
    static const EffectInfo info{"eq", "Equaliser", bandParameters()};
    return info;
}

EqEffect::EqEffect() : Effect(staticInfo()) {}

double EqEffect::butterworthQ(int sections, int index) noexcept {
    // Pole pair k of an order-n Butterworth filter sits at angle pi (2k + 1) / (2n) from the
    // negative real axis, and a pole pair at angle theta has Q = 1 / (2 cos theta).
    const int order = 2 * sections;
    const double theta = std::numbers::pi * (2.0 * index + 1.0) / (2.0 * order);
    return 1.0 / (2.0 * std::cos(theta));
}

void EqEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    channels_ = spec.channels;
    filters_.assign(static_cast<size_t>(channels_) * kBands * 2 * kMaxSections, Biquad{});
    fadeFrames_ =
        std::max<int32_t>(1, static_cast<int32_t>(std::floor(sampleRate_ * kRampSeconds)));
    for (auto& band : bands_) {
        band.frequency.reset(sampleRate_, kRampSeconds);
        band.gainDb.reset(sampleRate_, kRampSeconds);
        band.q.reset(sampleRate_, kRampSeconds);
    }
    reset();
}

EqEffect::Shape EqEffect::targetShape(int band) const noexcept {
    return shapeOf(parameters(), band);
}

EqEffect::Shape EqEffect::shapeOf(const ParameterSet& p, int band) noexcept {
    const auto type = static_cast<BandType>(p.getChoice(parameterIndex(band, kType)));
    switch (type) {
        case BandType::Off:
            return {type, 0};
        case BandType::LowPass:
        case BandType::HighPass: {
            const int sections =
                static_cast<int>(std::lround(p.get(parameterIndex(band, kSlopeDb)) / 12.0f));
            return {type, std::clamp(sections, 1, kMaxSections)};
        }
        default:
            return {type, 1};
    }
}

double EqEffect::bandResponseDb(const ParameterSet& p, int band, double sampleRate,
                                double hz) noexcept {
    const Shape shape = shapeOf(p, band);
    // The frequency as setTargets() limits it.
    const double f =
        std::min<double>(p.get(parameterIndex(band, kFrequencyHz)),
                         static_cast<float>(BiquadCoefficients::kMaxFrequencyRatio * sampleRate));
    std::array<BiquadCoefficients, kMaxSections> sections{};
    const int used = design(shape, sampleRate, f, p.get(parameterIndex(band, kGainDb)),
                            p.get(parameterIndex(band, kQ)), sections);
    double db = 0.0;
    for (int s = 0; s < used; ++s) {
        db += sections[s].magnitudeDb(hz, sampleRate);
    }
    return db;
}

double EqEffect::responseDb(const ParameterSet& p, double sampleRate, double hz) noexcept {
    double db = 0.0;
    for (int band = 0; band < kBands; ++band) {
        db += bandResponseDb(p, band, sampleRate, hz);
    }
    return db;
}

void EqEffect::setTargets(int index) noexcept {
    const auto& p = parameters();
    Band& band = bands_[index];
    const auto maxFrequency =
        static_cast<float>(BiquadCoefficients::kMaxFrequencyRatio * sampleRate_);
    band.frequency.setTarget(std::min(p.get(parameterIndex(index, kFrequencyHz)), maxFrequency));
    band.gainDb.setTarget(p.get(parameterIndex(index, kGainDb)));
    band.q.setTarget(p.get(parameterIndex(index, kQ)));

    // A new shape starts in the idle set from a clean state and fades in; a change that arrives
    // during a fade waits for it to finish (at most one ramp later).
    const Shape target = targetShape(index);
    if (band.fadeRemaining == 0 && !(target == band.shapes[band.active])) {
        const int next = 1 - band.active;
        band.shapes[next] = target;
        for (uint32_t c = 0; c < channels_; ++c) {
            for (int s = 0; s < kMaxSections; ++s) {
                filter(c, index, next, s).reset();
            }
        }
        band.active = next;
        band.fadeRemaining = fadeFrames_;
        updateCoefficients(index, next);
    }
}

void EqEffect::updateCoefficients(int index, int set) noexcept {
    const Band& band = bands_[index];
    std::array<BiquadCoefficients, kMaxSections> c{};
    const int used = design(band.shapes[set], sampleRate_, band.frequency.current(),
                            band.gainDb.current(), band.q.current(), c);
    for (uint32_t ch = 0; ch < channels_; ++ch) {
        for (int s = 0; s < used; ++s) {
            filter(ch, index, set, s).setCoefficients(c[s]);
        }
    }
}

int EqEffect::design(const Shape& shape, double rate, double f, double gain, double q,
                     std::array<BiquadCoefficients, kMaxSections>& c) noexcept {
    for (int s = 0; s < shape.sections; ++s) {
        // Above 12 dB/oct the band's Q would break the Butterworth (maximally flat) alignment,
        // so cascades use the Butterworth Qs; a single section uses the band's Q.
        const double sectionQ = shape.sections == 1 ? q : butterworthQ(shape.sections, s);
        switch (shape.type) {
            case BandType::Off:
                break;
            case BandType::Peak:
                c[s] = BiquadCoefficients::peak(rate, f, q, gain);
                break;
            case BandType::LowShelf:
                c[s] = BiquadCoefficients::lowShelf(rate, f, q, gain);
                break;
            case BandType::HighShelf:
                c[s] = BiquadCoefficients::highShelf(rate, f, q, gain);
                break;
            case BandType::LowPass:
                c[s] = BiquadCoefficients::lowPass(rate, f, sectionQ);
                break;
            case BandType::HighPass:
                c[s] = BiquadCoefficients::highPass(rate, f, sectionQ);
                break;
            case BandType::BandPass:
                c[s] = BiquadCoefficients::bandPass(rate, f, q);
                break;
            case BandType::Notch:
                c[s] = BiquadCoefficients::notch(rate, f, q);
                break;
        }
    }
    return shape.sections;
}

void EqEffect::runSet(int band, int set, uint32_t channel, float* samples,
                      uint32_t frames) noexcept {
    const int sections = bands_[band].shapes[set].sections;
    for (int s = 0; s < sections; ++s) {
        filter(channel, band, set, s).process(samples, frames);
    }
}

void EqEffect::processBand(int index, AudioBlock block, uint32_t start, uint32_t frames) noexcept {
    Band& band = bands_[index];
    const uint32_t channels = std::min(block.channelCount(), channels_);
    if (band.fadeRemaining == 0) {
        if (band.shapes[band.active].sections == 0) {
            return;  // an idle band leaves the samples untouched: all-off is bit-exact
        }
        if (channels == 2) {
            for (int s = 0; s < band.shapes[band.active].sections; ++s) {
                Biquad::processPair(filter(0, index, band.active, s), block.channel(0) + start,
                                    filter(1, index, band.active, s), block.channel(1) + start,
                                    frames);
            }
            return;
        }
        for (uint32_t c = 0; c < channels; ++c) {
            runSet(index, band.active, c, block.channel(c) + start, frames);
        }
        return;
    }
    // Crossfade from the previous shape (scratch) to the new one (in place); frames is at most
    // kUpdateFrames here because process() splits the block while any band fades.
    const int previous = 1 - band.active;
    const float step = 1.0f / static_cast<float>(fadeFrames_);
    const float startWeight = static_cast<float>(fadeFrames_ - band.fadeRemaining) * step;
    for (uint32_t c = 0; c < channels; ++c) {
        float* samples = block.channel(c) + start;
        std::copy_n(samples, frames, scratch_.data());
        runSet(index, previous, c, scratch_.data(), frames);
        runSet(index, band.active, c, samples, frames);
        for (uint32_t i = 0; i < frames; ++i) {
            const float w = std::min(1.0f, startWeight + static_cast<float>(i + 1) * step);
            samples[i] = scratch_[i] + w * (samples[i] - scratch_[i]);
        }
    }
    band.fadeRemaining = std::max<int32_t>(0, band.fadeRemaining - static_cast<int32_t>(frames));
}

void EqEffect::process(AudioBlock block) noexcept {
    const uint32_t frames = block.frameCount();
    bool moving = false;
    for (int b = 0; b < kBands; ++b) {
        setTargets(b);
        const Band& band = bands_[b];
        moving = moving || band.fadeRemaining > 0 || band.frequency.isSmoothing() ||
                 band.gainDb.isSmoothing() || band.q.isSmoothing();
    }
    if (!moving) {
        for (int b = 0; b < kBands; ++b) {
            processBand(b, block, 0, frames);
        }
        return;
    }
    for (uint32_t start = 0; start < frames; start += kUpdateFrames) {
        const uint32_t n = std::min(kUpdateFrames, frames - start);
        for (int b = 0; b < kBands; ++b) {
            Band& band = bands_[b];
            if (band.frequency.isSmoothing() || band.gainDb.isSmoothing() || band.q.isSmoothing()) {
                band.frequency.skip(static_cast<int32_t>(n));
                band.gainDb.skip(static_cast<int32_t>(n));
                band.q.skip(static_cast<int32_t>(n));
                updateCoefficients(b, band.active);
                if (band.fadeRemaining > 0) {
                    updateCoefficients(b, 1 - band.active);
                }
            }
            processBand(b, block, start, n);
        }
    }
}

void EqEffect::reset() noexcept {
    const auto& p = parameters();
    const auto maxFrequency =
        static_cast<float>(BiquadCoefficients::kMaxFrequencyRatio * sampleRate_);
    for (int b = 0; b < kBands; ++b) {
        Band& band = bands_[b];
        band.frequency.setCurrentAndTarget(
            std::min(p.get(parameterIndex(b, kFrequencyHz)), maxFrequency));
        band.gainDb.setCurrentAndTarget(p.get(parameterIndex(b, kGainDb)));
        band.q.setCurrentAndTarget(p.get(parameterIndex(b, kQ)));
        band.shapes[band.active] = targetShape(b);
        band.fadeRemaining = 0;
    }
    for (auto& f : filters_) {
        f.reset();
    }
    for (int b = 0; b < kBands; ++b) {
        updateCoefficients(b, bands_[b].active);
    }
}

}  // namespace liverack::core
