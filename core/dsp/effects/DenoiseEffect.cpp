#include "core/dsp/effects/DenoiseEffect.h"

#include <webrtc/modules/audio_processing/include/audio_processing.h>

#include <algorithm>

namespace liverack::core {
namespace {

uint32_t nextPowerOfTwo(uint64_t n) {
    uint32_t p = 1;
    while (p < n) {
        p <<= 1;
    }
    return p;
}

}  // namespace

const EffectInfo& DenoiseEffect::staticInfo() {
    static const EffectInfo info{
        "denoise",
        "Noise suppression",
        {
            ParameterInfo::choice("level", "Strength", {"low", "moderate", "high", "very_high"},
                                  kHigh),
            ParameterInfo::continuous("mix", "Mix", "", 0.0f, 1.0f, 1.0f),
        },
        // The library's noise estimate and its initialisation cannot be reset without
        // allocating; reset drops all earlier audio by running silence through instead.
        false};
    return info;
}

DenoiseEffect::DenoiseEffect() : Effect(staticInfo()) {}
DenoiseEffect::~DenoiseEffect() = default;

void DenoiseEffect::prepare(const ProcessSpec& spec) {
    apm_.reset();
    latency_ = 0;
    sampleRate_ = spec.sampleRate;
    const uint32_t channels = std::max(1u, spec.channels);
    const uint32_t maxBlock = std::max(1u, spec.maxBlockFrames);
    dry_.assign(channels, std::vector<float>(1, 0.0f));
    dryMask_ = 0;
    const uint32_t rate = VoiceFrameAdapter::processingRateFor(spec.sampleRate);
    const uint32_t delay =
        VoiceFrameAdapter::bandSplitDelay(rate) + VoiceFrameAdapter::noiseSuppressorDelay(rate);
    if (adapter_.prepare(spec.sampleRate, maxBlock, channels, false, delay).ok()) {
        std::unique_ptr<webrtc::AudioProcessing> apm(webrtc::AudioProcessing::Create());
        if (apm != nullptr) {
            const auto frameRate = static_cast<int>(rate);
            webrtc::ProcessingConfig config;
            config.input_stream() = webrtc::StreamConfig(frameRate, static_cast<int>(channels));
            config.output_stream() = config.input_stream();
            config.reverse_input_stream() = webrtc::StreamConfig(frameRate, 1);
            config.reverse_output_stream() = config.reverse_input_stream();
            // Sized for these streams now: a format first met in ProcessStream would make the
            // library re-initialise (and allocate) on the audio thread.
            if (apm->Initialize(config) == webrtc::AudioProcessing::kNoError &&
                apm->noise_suppression()->Enable(true) == webrtc::AudioProcessing::kNoError &&
                apm->high_pass_filter()->Enable(true) == webrtc::AudioProcessing::kNoError) {
                apm_ = std::move(apm);
                latency_ = adapter_.latencyFrames();
            }
        }
    }
    const uint32_t drySize = nextPowerOfTwo(static_cast<uint64_t>(latency_) + maxBlock + 1);
    dry_.assign(channels, std::vector<float>(drySize, 0.0f));
    dryMask_ = drySize - 1;
    level_ = -1;
    reset();
}

void DenoiseEffect::applyLevel() noexcept {
    const int level = parameters().getChoice(kLevel);
    if (level != level_) {
        // Proven allocation-free by the real-time test: it only retunes the suppressor.
        apm_->noise_suppression()->set_level(static_cast<webrtc::NoiseSuppression::Level>(level));
        level_ = level;
    }
}

void DenoiseEffect::processFrame(float* const* frame) noexcept {
    const webrtc::StreamConfig config(static_cast<int>(adapter_.processingRate()),
                                      static_cast<int>(adapter_.channels()));
    apm_->ProcessStream(frame, config, config, frame);
}

void DenoiseEffect::process(AudioBlock block) noexcept {
    if (apm_ == nullptr) {
        return;
    }
    const uint32_t frames = block.frameCount();
    const uint32_t channels = std::min(block.channelCount(), adapter_.channels());
    applyLevel();
    mix_.setTarget(parameters().get(kMix));
    for (uint32_t c = 0; c < channels; ++c) {
        const float* in = block.channel(c);
        float* ring = dry_[c].data();
        for (uint32_t i = 0; i < frames; ++i) {
            ring[(dryWrite_ + i) & dryMask_] = in[i];
        }
    }
    adapter_.process(block, AudioBlock(),
                     [this](float* const* frame, const float*) { processFrame(frame); });
    if (mix_.isSmoothing() || mix_.target() < 1.0f) {
        for (uint32_t c = 0; c < channels; ++c) {
            LinearSmoothedValue mix = mix_;  // every channel follows the same ramp
            float* out = block.channel(c);
            const float* ring = dry_[c].data();
            for (uint32_t i = 0; i < frames; ++i) {
                const float m = mix.next();
                const float d = ring[(dryWrite_ + i - latency_) & dryMask_];
                out[i] = d + m * (out[i] - d);
            }
        }
        mix_.skip(static_cast<int32_t>(frames));
    }
    dryWrite_ += frames;
}

void DenoiseEffect::reset() noexcept {
    mix_.reset(sampleRate_, kRampSeconds);
    mix_.setCurrentAndTarget(parameters().get(kMix));
    for (auto& ring : dry_) {
        std::fill(ring.begin(), ring.end(), 0.0f);
    }
    dryWrite_ = 0;
    if (apm_ != nullptr) {
        applyLevel();
        adapter_.flush([this](float* const* frame, const float*) { processFrame(frame); });
    }
}

}  // namespace liverack::core
