#include "core/dsp/effects/PitchEffect.h"

#include <rubberband/RubberBandStretcher.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace liverack::core {
namespace {

using Stretcher = RubberBand::RubberBandStretcher;
constexpr uint32_t kScratchFrames = 4096;

Stretcher::Options optionsFor(bool formant) {
    return Stretcher::OptionProcessRealTime | Stretcher::OptionEngineFaster |
           Stretcher::OptionPitchHighConsistency | Stretcher::OptionThreadingNever |
           Stretcher::OptionWindowShort |
           (formant ? Stretcher::OptionFormantPreserved : Stretcher::OptionFormantShifted);
}

uint32_t nextPowerOfTwo(uint32_t n) {
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
        }};
    return info;
}

PitchEffect::PitchEffect() : Effect(staticInfo()) {}
PitchEffect::~PitchEffect() = default;

double PitchEffect::targetPitchScale() const noexcept {
    const auto& p = parameters();
    const double semitones = p.get(kSemitones) + p.get(kCents) / 100.0;
    return std::pow(2.0, semitones / 12.0);
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
        // varying amount. Measured with Rubber Band 3.1 (R2, short window) over 44.1–192 kHz,
        // blocks of 1–4096 frames and jumps between ±12 semitones, the worst trail is below
        // 3.7·pad for tiny blocks and 5.3·pad for blocks of pad frames or more (pad = the
        // preferred start pad, 512 at 48 kHz): pre-filling the FIFO with this much covers it.
        const auto pad = static_cast<uint32_t>(stretcher->getPreferredStartPad());
        baseLatency_ = 4 * pad + 2 * std::min(maxBlock_, pad);

        // The start delay scales with 1/pitch ratio; the dry path must reach the largest.
        stretcher->setPitchScale(std::pow(2.0, -kMaxShiftSemitones / 12.0));
        const auto maxStartDelay = static_cast<uint32_t>(stretcher->getStartDelay());
        stretcher->setPitchScale(pitchScale_);

        silence_.assign(maxBlock_, 0.0f);
        silencePointers_.assign(channels_, silence_.data());
        scratch_.assign(channels_, std::vector<float>(kScratchFrames, 0.0f));
        scratchPointers_.resize(channels_);
        for (uint32_t c = 0; c < channels_; ++c) {
            scratchPointers_[c] = scratch_[c].data();
        }
        const uint32_t fifoSize = nextPowerOfTwo(3 * baseLatency_ + 4 * maxBlock_ + kScratchFrames);
        fifo_.assign(channels_, std::vector<float>(fifoSize, 0.0f));
        fifoMask_ = fifoSize - 1;
        const uint32_t drySize = nextPowerOfTwo(baseLatency_ + maxStartDelay + maxBlock_ + 2);
        dry_.assign(channels_, std::vector<float>(drySize, 0.0f));
        dryMask_ = drySize - 1;
        stretcher_ = std::move(stretcher);

        // Rubber Band grows some buffers lazily (its resampler's state, per ratio) on the first
        // process() after a change. Running the extreme ratios, with and without formant
        // preservation, grows them all here, so process() on the audio thread never allocates.
        const double extremes[] = {std::pow(2.0, kMaxShiftSemitones / 12.0),
                                   std::pow(2.0, -kMaxShiftSemitones / 12.0)};
        for (int pass = 0; pass < 4; ++pass) {
            stretcher_->setPitchScale(extremes[pass % 2]);
            stretcher_->setFormantOption(optionsFor(pass >= 2));
            feedSilence(4 * stretcher_->getSamplesRequired() + 4 * pad);
        }
        stretcher_->setFormantOption(optionsFor(formant_));
    } catch (const std::exception&) {
        // No exception leaves core: without a stretcher the effect passes audio through.
        stretcher_.reset();
    }
    reset();
}

void PitchEffect::feedSilence(size_t frames) noexcept {
    while (frames > 0) {
        const size_t n = std::min<size_t>(frames, maxBlock_);
        stretcher_->process(silencePointers_.data(), n, false);
        frames -= n;
        // Throw the output away (the pre-warm's and the start pad's).
        int available = 0;
        while ((available = stretcher_->available()) > 0) {
            stretcher_->retrieve(scratchPointers_.data(),
                                 std::min<size_t>(available, kScratchFrames));
        }
    }
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

void PitchEffect::drainStretcher() noexcept {
    int available = 0;
    while ((available = stretcher_->available()) > 0) {
        const size_t got = stretcher_->retrieve(scratchPointers_.data(),
                                                std::min<size_t>(available, kScratchFrames));
        size_t start = 0;
        if (discard_ > 0) {
            start = std::min(discard_, got);
            discard_ -= start;
        }
        if (debt_ > 0 && start < got) {
            const size_t drop = std::min<size_t>(debt_, got - start);
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
    const uint32_t channels = std::min(block.channelCount(), channels_);
    if (channels < channels_ || frames == 0) {
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
    drainStretcher();

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
    fifoRead_ = fifoWrite_ = 0;
    dryWrite_ = 0;
    debt_ = 0;
    for (auto& ring : dry_) {
        std::fill(ring.begin(), ring.end(), 0.0f);
    }
    if (stretcher_ == nullptr) {
        latency_.store(0, std::memory_order_relaxed);
        return;
    }
    stretcher_->reset();
    pitchScale_ = targetPitchScale();
    formant_ = parameters().getBool(kFormant);
    stretcher_->setPitchScale(pitchScale_);
    stretcher_->setFormantOption(optionsFor(formant_));
    // Rubber Band's recipe for real-time mode: feed the preferred start pad of silence, then
    // drop the start delay from the output, and output sample n lines up with input sample n.
    // Pre-fill the FIFO with silence so the stretcher's bursts never leave it empty.
    for (auto& ring : fifo_) {
        std::fill(ring.begin(), ring.end(), 0.0f);
    }
    fifoWrite_ = baseLatency_;
    startDelayAtReset_ = stretcher_->getStartDelay();
    discard_ = startDelayAtReset_;
    for (size_t left = stretcher_->getPreferredStartPad(); left > 0;) {
        const size_t n = std::min<size_t>(left, maxBlock_);
        stretcher_->process(silencePointers_.data(), n, false);
        drainStretcher();
        left -= n;
    }
    latency_.store(baseLatency_, std::memory_order_relaxed);
    dryDelay_ = static_cast<float>(baseLatency_);
}

}  // namespace liverack::core
