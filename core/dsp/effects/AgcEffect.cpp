#include "core/dsp/effects/AgcEffect.h"

#include <webrtc/modules/audio_processing/include/audio_processing.h>

#include <algorithm>
#include <cmath>

namespace liverack::core {

const EffectInfo& AgcEffect::staticInfo() {
    static const EffectInfo info{
        "agc",
        "Automatic gain",
        {
            // Whole decibels: the library takes integers.
            ParameterInfo::continuous("target_dbfs", "Target", "dBFS", -31.0f, 0.0f, -18.0f,
                                      ParameterSkew::Linear, 1.0f),
            ParameterInfo::continuous("max_gain_db", "Maximum gain", "dB", 0.0f, 90.0f, 30.0f,
                                      ParameterSkew::Linear, 1.0f),
            ParameterInfo::toggle("limiter", "Limiter", true),
        },
        // The library's level tracker cannot be reset without allocating; reset drops all
        // earlier audio by running silence through instead.
        false};
    return info;
}

AgcEffect::AgcEffect() : Effect(staticInfo()) {}
AgcEffect::~AgcEffect() = default;

void AgcEffect::prepare(const ProcessSpec& spec) {
    apm_.reset();
    latency_ = 0;
    const uint32_t channels = std::max(1u, spec.channels);
    const uint32_t maxBlock = std::max(1u, spec.maxBlockFrames);
    const uint32_t rate = VoiceFrameAdapter::processingRateFor(spec.sampleRate);
    if (adapter_
            .prepare(spec.sampleRate, maxBlock, channels, false,
                     VoiceFrameAdapter::bandSplitDelay(rate))
            .ok()) {
        // The "experimental" AGC (on by default in 0.3) drives the gain stage itself, with its
        // own target and gain, and would ignore the parameters.
        webrtc::Config extra;
        extra.Set<webrtc::ExperimentalAgc>(new webrtc::ExperimentalAgc(false));
        std::unique_ptr<webrtc::AudioProcessing> apm(webrtc::AudioProcessing::Create(extra));
        if (apm != nullptr) {
            const auto frameRate = static_cast<int>(rate);
            webrtc::ProcessingConfig config;
            config.input_stream() = webrtc::StreamConfig(frameRate, static_cast<int>(channels));
            config.output_stream() = config.input_stream();
            config.reverse_input_stream() = webrtc::StreamConfig(frameRate, 1);
            config.reverse_output_stream() = config.reverse_input_stream();
            auto* agc = apm->gain_control();
            // Sized for these streams now: a format first met in ProcessStream would make the
            // library re-initialise (and allocate) on the audio thread.
            if (apm->Initialize(config) == webrtc::AudioProcessing::kNoError &&
                agc->set_mode(webrtc::GainControl::kAdaptiveDigital) ==
                    webrtc::AudioProcessing::kNoError &&
                agc->Enable(true) == webrtc::AudioProcessing::kNoError) {
                apm_ = std::move(apm);
                latency_ = adapter_.latencyFrames();
            }
        }
    }
    targetDbfs_ = maxGainDb_ = limiter_ = -1;
    reset();
}

void AgcEffect::applyParameters() noexcept {
    // Proven allocation-free by the real-time test: each only re-configures the gain stage.
    auto* agc = apm_->gain_control();
    const auto& p = parameters();
    // The library counts its target in positive decibels below full scale.
    const int target = static_cast<int>(std::lround(-p.get(kTargetDbfs)));
    if (target != targetDbfs_) {
        agc->set_target_level_dbfs(target);
        targetDbfs_ = target;
    }
    const int maxGain = static_cast<int>(std::lround(p.get(kMaxGainDb)));
    if (maxGain != maxGainDb_) {
        agc->set_compression_gain_db(maxGain);
        maxGainDb_ = maxGain;
    }
    const int limiter = p.getBool(kLimiter) ? 1 : 0;
    if (limiter != limiter_) {
        agc->enable_limiter(limiter == 1);
        limiter_ = limiter;
    }
}

void AgcEffect::processFrame(float* const* frame) noexcept {
    const webrtc::StreamConfig config(static_cast<int>(adapter_.processingRate()),
                                      static_cast<int>(adapter_.channels()));
    apm_->ProcessStream(frame, config, config, frame);
}

void AgcEffect::process(AudioBlock block) noexcept {
    if (apm_ == nullptr) {
        return;
    }
    applyParameters();
    adapter_.process(block, AudioBlock(),
                     [this](float* const* frame, const float*) { processFrame(frame); });
    if (limiter_ == 1) {
        // The library saturates at full scale inside its bands; the band synthesis and the
        // resampler ring over it by up to 0.5 dB (measured at a -3 dBFS target). The limiter's
        // promise is full scale, so those few samples are held to it.
        for (uint32_t c = 0; c < std::min(block.channelCount(), adapter_.channels()); ++c) {
            float* out = block.channel(c);
            for (uint32_t i = 0; i < block.frameCount(); ++i) {
                out[i] = std::clamp(out[i], -1.0f, 1.0f);
            }
        }
    }
}

void AgcEffect::reset() noexcept {
    if (apm_ != nullptr) {
        applyParameters();
        adapter_.flush([this](float* const* frame, const float*) { processFrame(frame); });
    }
}

}  // namespace liverack::core
