#include "core/dsp/effects/EchoCancelEffect.h"

#include <webrtc/modules/audio_processing/include/audio_processing.h>

#include <algorithm>
#include <cmath>

namespace liverack::core {

const EffectInfo& EchoCancelEffect::staticInfo() {
    static const EffectInfo info{
        "echo_cancel",
        "Echo cancellation",
        {
            ParameterInfo::choice("suppression", "Suppression", {"low", "moderate", "high"},
                                  kModerate),
            // The library searches the echo's delay itself; this hint is the part the rack does
            // not see (sound card buffers, the distance to the loudspeaker).
            ParameterInfo::continuous("delay_ms", "Echo delay", "ms", 0.0f, 500.0f, 0.0f,
                                      ParameterSkew::Linear, 1.0f),
        },
        // The adaptive filter cannot be reset without allocating; reset drops all earlier
        // audio by running silence through instead.
        false,
        // 1 while a reference arrives, 0 while there is none (audio then passes through).
        {ParameterInfo::toggle("reference", "Reference present", false)}};
    return info;
}

EchoCancelEffect::EchoCancelEffect() : Effect(staticInfo()) {}
EchoCancelEffect::~EchoCancelEffect() = default;

void EchoCancelEffect::prepare(const ProcessSpec& spec) {
    apm_.reset();
    latency_ = 0;
    const uint32_t channels = std::max(1u, spec.channels);
    const uint32_t maxBlock = std::max(1u, spec.maxBlockFrames);
    const uint32_t rate = VoiceFrameAdapter::processingRateFor(spec.sampleRate);
    dryFrame_.assign(channels, std::vector<float>(rate / 100, 0.0f));
    libraryDelay_ = VoiceFrameAdapter::bandSplitDelay(rate);
    referenceScratch_.assign(rate / 100, 0.0f);
    dryHistory_.assign(channels, std::vector<float>(libraryDelay_, 0.0f));
    if (adapter_.prepare(spec.sampleRate, maxBlock, channels, true, libraryDelay_).ok()) {
        webrtc::Config extra;
        extra.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(true));
        extra.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(true));
        std::unique_ptr<webrtc::AudioProcessing> apm(webrtc::AudioProcessing::Create(extra));
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
                apm->echo_cancellation()->Enable(true) == webrtc::AudioProcessing::kNoError) {
                apm_ = std::move(apm);
                latency_ = adapter_.latencyFrames();
            }
        }
    }
    suppression_ = -1;
    delayMs_ = static_cast<int>(std::lround(parameters().get(kDelayMs)));
    reset();
}

void EchoCancelEffect::applyParameters() noexcept {
    const int suppression = parameters().getChoice(kSuppression);
    if (suppression != suppression_) {
        // Proven allocation-free by the real-time test: it only retunes the suppressor.
        apm_->echo_cancellation()->set_suppression_level(
            static_cast<webrtc::EchoCancellation::SuppressionLevel>(suppression));
        suppression_ = suppression;
    }
}

void EchoCancelEffect::delayDry(float* const* frame) noexcept {
    const uint32_t frames = adapter_.frameFrames();
    const uint32_t delay = libraryDelay_;
    for (uint32_t c = 0; c < adapter_.channels(); ++c) {
        float* dry = dryFrame_[c].data();
        float* history = dryHistory_[c].data();
        std::copy_n(history, delay, dry);
        std::copy_n(frame[c], frames - delay, dry + delay);
        std::copy_n(frame[c] + frames - delay, delay, history);
    }
}

void EchoCancelEffect::processFrame(float* const* frame, const float* reference) noexcept {
    const float target = referencePresent_ ? 1.0f : 0.0f;
    const uint32_t frames = adapter_.frameFrames();
    const uint32_t channels = adapter_.channels();
    delayDry(frame);
    if (target == 0.0f && wet_ == 0.0f) {
        for (uint32_t c = 0; c < channels; ++c) {  // no far end: the frame passes untouched
            std::copy_n(dryFrame_[c].data(), frames, frame[c]);
        }
        return;
    }
    const bool fading = wet_ != target;
    const int rate = static_cast<int>(adapter_.processingRate());
    const float* const referenceChannels[] = {reference};
    float* const referenceOut[] = {referenceScratch_.data()};
    const webrtc::StreamConfig referenceConfig(rate, 1);
    apm_->ProcessReverseStream(referenceChannels, referenceConfig, referenceConfig, referenceOut);
    // Reference and microphone frames are framed in step here, so the delay to report is only
    // what lies outside the rack.
    // Moved towards the parameter by at most kMaxDelayStepMs a frame: the library logs a jump
    // of over 60 ms into a histogram named by a std::string, which allocates.
    const int wanted = static_cast<int>(std::lround(parameters().get(kDelayMs)));
    delayMs_ += std::clamp(wanted - delayMs_, -kMaxDelayStepMs, kMaxDelayStepMs);
    apm_->set_stream_delay_ms(delayMs_);
    const webrtc::StreamConfig config(rate, static_cast<int>(channels));
    apm_->ProcessStream(frame, config, config, frame);
    if (fading) {
        const float step = (target - wet_) / static_cast<float>(frames);
        for (uint32_t c = 0; c < channels; ++c) {
            const float* dry = dryFrame_[c].data();
            float* out = frame[c];
            for (uint32_t i = 0; i < frames; ++i) {
                const float g = wet_ + step * static_cast<float>(i + 1);
                out[i] = dry[i] + g * (out[i] - dry[i]);
            }
        }
        wet_ = target;
    }
}

void EchoCancelEffect::process(AudioBlock block) noexcept {
    const AudioBlock reference = reference_;
    reference_ = AudioBlock();  // a block without setReference() before it has none
    referencePresent_ =
        reference.channelCount() > 0 && reference.frameCount() >= block.frameCount();
    outputs().store(kReferenceOutput, referencePresent_ ? 1.0f : 0.0f);
    if (apm_ == nullptr) {
        return;
    }
    applyParameters();
    adapter_.process(block, referencePresent_ ? reference : AudioBlock(),
                     [this](float* const* frame, const float* far) { processFrame(frame, far); });
}

void EchoCancelEffect::reset() noexcept {
    outputs().store(kReferenceOutput, 0.0f);
    reference_ = AudioBlock();
    referencePresent_ = false;
    if (apm_ != nullptr) {
        applyParameters();
        // The canceller runs on the silence too, so its buffers let go of earlier audio; what
        // it makes of silence (its comfort noise, around -120 dBFS) is not kept.
        referencePresent_ = true;
        wet_ = 1.0f;
        adapter_.flush([this](float* const* frame, const float* far) {
            processFrame(frame, far);
            for (uint32_t c = 0; c < adapter_.channels(); ++c) {
                std::fill_n(frame[c], adapter_.frameFrames(), 0.0f);
            }
        });
        referencePresent_ = false;
    }
    wet_ = 0.0f;
    for (auto& history : dryHistory_) {
        std::fill(history.begin(), history.end(), 0.0f);
    }
}

}  // namespace liverack::core
