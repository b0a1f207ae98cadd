#include "core/dsp/effects/PitchEffect.h"

#include <rubberband/RubberBandStretcher.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <iterator>

namespace liverack::core {
namespace {

using Stretcher = RubberBand::RubberBandStretcher;
constexpr uint32_t kScratchFrames = 4096;
constexpr long kMaxDrift = 400;  // samples searched when measuring the set-up's alignment

Stretcher::Options optionsFor(bool formant) {
    return Stretcher::OptionProcessRealTime | Stretcher::OptionEngineFiner |
           Stretcher::OptionPitchHighConsistency | Stretcher::OptionThreadingNever |
           Stretcher::OptionWindowShort |
           (formant ? Stretcher::OptionFormantPreserved : Stretcher::OptionFormantShifted);
}

uint32_t nextPowerOfTwo(uint64_t n) {
    uint32_t p = 1;
    while (p < n) {
        p <<= 1;
    }
    return p;
}

}  // namespace

const EffectInfo& PitchEffect::staticInfo() {
    static const EffectInfo info{
        "pitch",
        "Pitch shift",
        {
            ParameterInfo::continuous("semitones", "Semitones", "st", -12.0f, 12.0f, 0.0f),
            ParameterInfo::continuous("cents", "Cents", "ct", -100.0f, 100.0f, 0.0f),
            ParameterInfo::toggle("formant", "Keep formants", false),
            ParameterInfo::continuous("mix", "Mix", "", 0.0f, 1.0f, 1.0f),
        },
        // Rubber Band's reset keeps its resampler's phase, which depends on what it has
        // processed; only a new stretcher matches a fresh one, and making one allocates.
        false};
    return info;
}

PitchEffect::PitchEffect() : Effect(staticInfo()) {}
PitchEffect::~PitchEffect() = default;

double PitchEffect::targetPitchScale() const noexcept {
    const auto& p = parameters();
    const double semitones = p.get(kSemitones) + p.get(kCents) / 100.0;
    return std::pow(2.0, semitones / 12.0);
}

void PitchEffect::stream(Stretcher& stretcher, const float* input, size_t frames, uint64_t& fed,
                         uint64_t& produced, size_t& discard, Capture* capture,
                         uint64_t captureFrom) {
    std::vector<const float*> in(channels_, silence_.data());
    size_t done = 0;
    while (done < frames) {
        const size_t n = std::min<size_t>(frames - done, maxBlock_);
        if (input != nullptr) {
            std::fill(in.begin(), in.end(), input + done);
        }
        stretcher.process(in.data(), n, false);
        done += n;
        fed += n;
        int available = 0;
        while ((available = stretcher.available()) > 0) {
            size_t got = stretcher.retrieve(scratchPointers_.data(),
                                            std::min<size_t>(available, kScratchFrames));
            size_t start = std::min(discard, got);
            discard -= start;
            for (size_t i = start; i < got; ++i, ++produced) {
                if (capture != nullptr && produced >= captureFrom &&
                    produced - captureFrom < capture->size()) {
                    (*capture)[produced - captureFrom] = scratch_[0][i];
                }
            }
        }
    }
}

void PitchEffect::prepare(const ProcessSpec& spec) {
    sampleRate_ = spec.sampleRate;
    channels_ = std::max(1u, spec.channels);
    maxBlock_ = std::max(1u, spec.maxBlockFrames);
    stretcher_.reset();
    try {
        formant_ = parameters().getBool(kFormant);
        pitchScale_ = targetPitchScale();
        auto stretcher = std::make_unique<Stretcher>(static_cast<size_t>(sampleRate_), channels_,
                                                     optionsFor(formant_), 1.0, pitchScale_);
        stretcher->setMaxProcessSize(maxBlock_);

        // The stretcher emits output in hops, so its output count trails the input count by a
        // varying amount. Measured with Rubber Band 3.1 (R3, short window) over 44.1–192 kHz,
        // blocks of 1–4096 frames and jumps between ±12 semitones, the worst trail is 3.07·pad
        // (pad = the preferred start pad, 1280 at 48 kHz): pre-filling the FIFO with 3.25·pad
        // plus a little covers it with room to spare.
        const auto pad = static_cast<uint32_t>(stretcher->getPreferredStartPad());
        baseLatency_ = (13 * pad) / 4 + 64;
        const auto required = static_cast<size_t>(stretcher->getSamplesRequired());
        const size_t startDelay = stretcher->getStartDelay();
        // The start delay scales with 1/pitch ratio; the dry path must reach the largest.
        stretcher->setPitchScale(std::pow(2.0, -kMaxShiftSemitones / 12.0));
        const auto maxStartDelay = static_cast<uint32_t>(stretcher->getStartDelay());
        stretcher->setPitchScale(pitchScale_);

        silence_.assign(std::max<size_t>(maxBlock_, kScratchFrames), 0.0f);
        silencePointers_.assign(channels_, silence_.data());
        scratch_.assign(channels_, std::vector<float>(kScratchFrames, 0.0f));
        scratchPointers_.resize(channels_);
        for (uint32_t c = 0; c < channels_; ++c) {
            scratchPointers_[c] = scratch_[c].data();
        }
        const uint32_t fifoSize = nextPowerOfTwo(3 * baseLatency_ + 4 * maxBlock_ + kScratchFrames);
        fifo_.assign(channels_, std::vector<float>(fifoSize, 0.0f));
        fifoMask_ = fifoSize - 1;
        const uint32_t drySize =
            nextPowerOfTwo(baseLatency_ + maxStartDelay + kMaxDrift + maxBlock_ + 2);
        dry_.assign(channels_, std::vector<float>(drySize, 0.0f));
        dryMask_ = drySize - 1;

        // Rubber Band's recipe for real-time mode: feed the preferred start pad of silence and
        // drop the start delay from the output; then output n lines up with input n.
        uint64_t fed = 0;
        uint64_t produced = 0;
        size_t discard = startDelay;
        stream(*stretcher, nullptr, pad, fed, produced, discard, nullptr, 0);
        fed = 0;

        // Rubber Band grows some buffers lazily on the first process() after a ratio change: its
        // resampler's filter buffer (largest at the extreme ratios) and its phase table (one
        // entry per unit of the ratio's numerator as a fraction, up to 192000 for ratios a hair
        // from 1). Streaming silence at such ratios grows them all here, so process() on the
        // audio thread never allocates. The resampler alternates between two states, so each
        // kind of ratio is visited in both. The stretcher is never reset afterwards: its reset()
        // would keep some of that state and move the alignment unpredictably.
        const double up = std::pow(2.0, kMaxShiftSemitones / 12.0);
        const double upLess = std::pow(2.0, (kMaxShiftSemitones - 0.01) / 12.0);
        const double warmRatios[] = {up,
                                     1.0 / up,
                                     1.0 / upLess,
                                     upLess,
                                     1.0 + 1.0 / 191999.0,
                                     1.0 - 1.0 / 191999.0,
                                     1.0 - 1.0 / 191997.0,
                                     1.0 + 1.0 / 191997.0,
                                     1.0 + 1.0 / 95999.0,
                                     1.0 - 1.0 / 95999.0,
                                     1.0 - 1.0 / 95997.0,
                                     1.0 + 1.0 / 95997.0};
        for (size_t pass = 0; pass < std::size(warmRatios); ++pass) {
            stretcher->setPitchScale(warmRatios[pass]);
            stretcher->setFormantOption(optionsFor(pass % 4 >= 2));
            stream(*stretcher, nullptr, required, fed, produced, discard, nullptr, 0);
        }
        stretcher->setPitchScale(pitchScale_);
        stretcher->setFormantOption(optionsFor(formant_));
        stream(*stretcher, nullptr, required, fed, produced, discard, nullptr, 0);

        // Rubber Band's reset() clears the stretcher but rebuilds its resampler from the state
        // the last ratio change left behind, which shifts the alignment by some tens of
        // samples. That state only changes when the ratio does, so every reset at this ratio
        // lands on the same alignment: start as restart() will, and measure the shift once, a
        // probe through this stretcher against the same probe through a brand-new one (whose
        // alignment is exact).
        stretcher->reset();
        stretcher->setPitchScale(pitchScale_);
        stretcher->setFormantOption(optionsFor(formant_));
        fed = 0;
        produced = 0;
        discard = stretcher->getStartDelay();
        stream(*stretcher, nullptr, stretcher->getPreferredStartPad(), fed, produced, discard,
               nullptr, 0);
        fed = 0;
        const size_t probeLength = 4 * required;
        std::vector<float> probe(probeLength);
        uint32_t lcg = 12345;
        float lowpassed = 0.0f;
        for (auto& v : probe) {
            lcg = lcg * 1664525u + 1013904223u;
            const float white = static_cast<float>(lcg >> 8) / 8388608.0f - 1.0f;
            lowpassed += 0.3f * (white - lowpassed);
            v = lowpassed;
        }
        // Some silence first, so the captured window can start before the probe.
        stream(*stretcher, nullptr, 2 * kMaxDrift, fed, produced, discard, nullptr, 0);
        const uint64_t probeStart = fed;
        Capture mainOut(probeLength + 2 * kMaxDrift, 0.0f);
        stream(*stretcher, probe.data(), probeLength, fed, produced, discard, &mainOut,
               probeStart - kMaxDrift);
        stream(*stretcher, nullptr, baseLatency_ + required, fed, produced, discard, &mainOut,
               probeStart - kMaxDrift);

        Stretcher reference(static_cast<size_t>(sampleRate_), channels_, optionsFor(formant_), 1.0,
                            pitchScale_);
        reference.setMaxProcessSize(maxBlock_);
        uint64_t refFed = 0;
        uint64_t refProduced = 0;
        size_t refDiscard = reference.getStartDelay();
        stream(reference, nullptr, reference.getPreferredStartPad(), refFed, refProduced,
               refDiscard, nullptr, 0);
        Capture refOut(probeLength, 0.0f);
        stream(reference, probe.data(), probeLength, refFed, refProduced, refDiscard, &refOut, 0);
        stream(reference, nullptr, baseLatency_ + required, refFed, refProduced, refDiscard,
               &refOut, 0);

        long drift = 0;
        double best = -1e300;
        for (long lag = -kMaxDrift; lag <= kMaxDrift; ++lag) {
            double sum = 0.0;
            for (size_t j = required; j + required < probeLength; ++j) {
                sum += static_cast<double>(refOut[j]) * mainOut[j + kMaxDrift + lag];
            }
            if (sum > best) {
                best = sum;
                drift = lag;
            }
        }

        drift_ = drift;
        stretcher_ = std::move(stretcher);
    } catch (const std::exception&) {
        // No exception leaves core: without a stretcher the effect passes audio through.
        stretcher_.reset();
    }
    reset();
}

void PitchEffect::restart() noexcept {
    stretcher_->reset();
    stretcher_->setPitchScale(pitchScale_);
    stretcher_->setFormantOption(optionsFor(formant_));
    for (auto& ring : fifo_) {
        std::fill(ring.begin(), ring.end(), 0.0f);
    }
    // Output n holds input n − drift; pre-filling the FIFO with latency − drift frames of
    // silence makes input n come out exactly baseLatency_ frames later.
    fifoRead_ = 0;
    fifoWrite_ = static_cast<uint32_t>(
        std::clamp<int64_t>(static_cast<int64_t>(baseLatency_) - drift_, 0, fifoMask_));
    debt_ = 0;
    // Rubber Band's recipe for real-time mode: feed the preferred start pad of silence and drop
    // the start delay from the output.
    startDelayAtReset_ = stretcher_->getStartDelay();
    discard_ = startDelayAtReset_;
    for (size_t left = stretcher_->getPreferredStartPad(); left > 0;) {
        const size_t n = std::min<size_t>(left, maxBlock_);
        stretcher_->process(silencePointers_.data(), n, false);
        drainIntoFifo();
        left -= n;
    }
    latency_.store(baseLatency_, std::memory_order_relaxed);
}

void PitchEffect::applyParameters() noexcept {
    const double scale = targetPitchScale();
    if (scale != pitchScale_) {
        pitchScale_ = scale;
        stretcher_->setPitchScale(scale);
        const auto delay = static_cast<int64_t>(stretcher_->getStartDelay());
        latency_.store(static_cast<uint32_t>(std::max<int64_t>(
                           0, baseLatency_ + delay - static_cast<int64_t>(startDelayAtReset_))),
                       std::memory_order_relaxed);
    }
    const bool formant = parameters().getBool(kFormant);
    if (formant != formant_) {
        formant_ = formant;
        stretcher_->setFormantOption(optionsFor(formant));
    }
    mix_.setTarget(parameters().get(kMix));
}

void PitchEffect::drainIntoFifo() noexcept {
    int available = 0;
    while ((available = stretcher_->available()) > 0) {
        const size_t got = stretcher_->retrieve(scratchPointers_.data(),
                                                std::min<size_t>(available, kScratchFrames));
        size_t start = std::min(discard_, got);
        discard_ -= start;
        if (debt_ > 0 && start < got) {
            const auto drop = static_cast<size_t>(std::min<uint64_t>(debt_, got - start));
            debt_ -= drop;
            start += drop;
        }
        const auto room = static_cast<size_t>(fifoMask_ + 1 - fifoFill());
        const size_t count = std::min(got - start, room);
        for (uint32_t c = 0; c < channels_; ++c) {
            float* ring = fifo_[c].data();
            const float* source = scratch_[c].data() + start;
            for (size_t i = 0; i < count; ++i) {
                ring[(fifoWrite_ + i) & fifoMask_] = source[i];
            }
        }
        fifoWrite_ += static_cast<uint32_t>(count);
    }
}

void PitchEffect::process(AudioBlock block) noexcept {
    if (stretcher_ == nullptr) {
        return;
    }
    const uint32_t frames = std::min(block.frameCount(), maxBlock_);
    if (block.channelCount() < channels_ || frames == 0) {
        return;  // the stretcher was built for more channels than this block carries
    }
    applyParameters();

    // Keep the dry input for the mix before the block is overwritten.
    for (uint32_t c = 0; c < channels_; ++c) {
        const float* in = block.channel(c);
        float* ring = dry_[c].data();
        for (uint32_t i = 0; i < frames; ++i) {
            ring[(dryWrite_ + i) & dryMask_] = in[i];
        }
    }

    stretcher_->process(block.channels(), frames, false);
    drainIntoFifo();

    const uint32_t take = std::min(frames, fifoFill());
    if (take < frames) {
        debt_ += frames - take;
        underruns_.fetch_add(1, std::memory_order_relaxed);
    }
    const auto target = static_cast<float>(latency_.load(std::memory_order_relaxed));
    for (uint32_t c = 0; c < channels_; ++c) {
        float* out = block.channel(c);
        const float* ring = fifo_[c].data();
        const float* dry = dry_[c].data();
        for (uint32_t i = 0; i < frames; ++i) {
            out[i] = i < take ? ring[(fifoRead_ + i) & fifoMask_] : 0.0f;
        }
        // Every channel replays the same mix ramp and dry glide from copies; the originals
        // advance once below.
        LinearSmoothedValue mix = mix_;
        float dryDelay = dryDelay_;
        for (uint32_t i = 0; i < frames; ++i) {
            const float m = mix.next();
            dryDelay += std::clamp(target - dryDelay, -kDryGlideSpeed, kDryGlideSpeed);
            const float whole = std::floor(dryDelay);
            const float t = dryDelay - whole;
            const uint32_t at = dryWrite_ + i - static_cast<uint32_t>(whole);
            const float d =
                dry[at & dryMask_] + t * (dry[(at - 1) & dryMask_] - dry[at & dryMask_]);
            out[i] = (1.0f - m) * d + m * out[i];
        }
        if (c + 1 == channels_) {
            dryDelay_ = dryDelay;
        }
    }
    mix_.skip(static_cast<int32_t>(frames));
    fifoRead_ += take;
    dryWrite_ += frames;
}

void PitchEffect::reset() noexcept {
    mix_.reset(sampleRate_, kRampSeconds);
    mix_.setCurrentAndTarget(parameters().get(kMix));
    dryWrite_ = 0;
    for (auto& ring : dry_) {
        std::fill(ring.begin(), ring.end(), 0.0f);
    }
    if (stretcher_ == nullptr) {
        latency_.store(0, std::memory_order_relaxed);
        dryDelay_ = 0.0f;
        return;
    }
    // The shift in force now is the one the stretcher restarts with.
    pitchScale_ = targetPitchScale();
    formant_ = parameters().getBool(kFormant);
    restart();
    dryDelay_ = static_cast<float>(baseLatency_);
}

}  // namespace liverack::core
