#include "core/dsp/effects/AgcEffect.h"

#include <webrtc/modules/audio_processing/include/audio_processing.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace liverack::core {
namespace {

// The library's own AGC steers a peak envelope ("the target peak level (or envelope)", its
// header says): measured on speech, the output's short-term loudness sat 8-11 dB under the
// target and a quiet voice rose at 2 dB/s. The gain is steered here instead; the library is
// kept for what it does well, telling voice from pauses and noise.

// Speech must have been heard this long (frames of 10 ms) before its loudness is steered to:
// 50 ms, since a loud voice let through for longer at full gain weighs in the 3 s short-term
// loudness for seconds (200 ms of a -10 dBFS voice kept it 3 dB over a -23 LUFS target).
constexpr uint32_t kFramesBeforeSteering = 5;
// BS.1770's absolute gate: quieter frames do not count as voice whatever the detector says.
constexpr double kAbsoluteGateLufs = -70.0;
// Frames after the last voiced one still counted as speech: the gaps between words and short
// breaths belong to the speech's loudness (the short-term loudness counts them: leaving them
// out put the output 1.5 dB under the target), longer pauses do not and freeze the gain.
constexpr uint32_t kHoldFrames = 40;
// Speech's level swings by more than this (8 dB in energy) between the 100 ms blocks of two
// seconds; at least this many blocks are needed to tell.
constexpr double kSpeechRange = 6.3;
constexpr uint32_t kMinEvidenceBlocks = 2;
// Gain law, per 10 ms frame: a first-order approach to the gain that brings the speech to the
// target, with its rate capped. Up: 0.2 s time constant, at most 30 dB/s (a -40 dBFS voice
// needs some 20 dB for a -18 LUFS target: about a second once its level is seen to move like
// speech, so the 3 s window that ends 3 s in is within 3 dB of it); down faster (0.1 s, 60 dB/s),
// since a voice that is too loud is the worse error. Near the target the approach slows by itself.
constexpr double kRiseSeconds = 0.2;
constexpr double kFallSeconds = 0.1;
constexpr double kMaxRiseDbPerSecond = 30.0;
constexpr double kMaxFallDbPerSecond = 60.0;
// The lowest gain it steers to: a 0 dBFS voice down to the lowest target, with room to spare.
constexpr float kMinGainDb = -40.0f;
// The limiter lets its gain back up with this time constant once the peaks are gone.
constexpr double kLimiterReleaseSeconds = 0.1;

float dbToGain(float db) noexcept {
    return std::pow(10.0f, db / 20.0f);
}

// ITU-R BS.1770-4's K-weighting at any rate: its two 48 kHz sections re-derived from their
// analogue prototypes (shelf frequency, gain and Q; high-pass frequency and Q) as libebur128
// does, so the measurement agrees with the loudness meter at 16, 32 and 48 kHz.
std::array<BiquadCoefficients, 2> kWeightingCoefficients(double rate) noexcept {
    std::array<BiquadCoefficients, 2> sections;
    {
        const double f0 = 1681.974450955533;
        const double gainDb = 3.999843853973347;
        const double q = 0.7071752369554196;
        const double k = std::tan(std::numbers::pi * f0 / rate);
        const double vh = std::pow(10.0, gainDb / 20.0);
        const double vb = std::pow(vh, 0.4996667741545416);
        const double a0 = 1.0 + k / q + k * k;
        sections[0] = {(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0,
                       (vh - vb * k / q + k * k) / a0, 2.0 * (k * k - 1.0) / a0,
                       (1.0 - k / q + k * k) / a0};
    }
    {
        const double f0 = 38.13547087602444;
        const double q = 0.5003270373238773;
        const double k = std::tan(std::numbers::pi * f0 / rate);
        const double a0 = 1.0 + k / q + k * k;
        // BS.1770 leaves the high-pass's numerator unnormalised (1, -2, 1); so does libebur128.
        sections[1] = {1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
    }
    return sections;
}

}  // namespace

const EffectInfo& AgcEffect::staticInfo() {
    static const EffectInfo info{
        "agc",
        "Automatic gain",
        {
            // The id keeps its released name; the value is a loudness (LUFS: K-weighted, so
            // full-scale pink noise reads about -3, a sine at 0 dBFS -3).
            ParameterInfo::continuous("target_dbfs", "Target loudness", "LUFS", -31.0f, 0.0f,
                                      -18.0f, ParameterSkew::Linear, 1.0f),
            ParameterInfo::continuous("max_gain_db", "Maximum gain", "dB", 0.0f, 90.0f, 30.0f,
                                      ParameterSkew::Linear, 1.0f),
            ParameterInfo::toggle("limiter", "Limiter", true),
        },
        // The library's voice detector cannot be reset without allocating; reset drops all
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
    // Only the voice detector runs in the library: it analyses the frame and leaves it as it
    // was (no band split and synthesis, so no band-split delay to count).
    if (adapter_.prepare(spec.sampleRate, maxBlock, channels, false, 0).ok()) {
        std::unique_ptr<webrtc::AudioProcessing> apm(webrtc::AudioProcessing::Create());
        if (apm != nullptr) {
            const auto frameRate = static_cast<int>(rate);
            webrtc::ProcessingConfig config;
            config.input_stream() = webrtc::StreamConfig(frameRate, static_cast<int>(channels));
            config.output_stream() = config.input_stream();
            config.reverse_input_stream() = webrtc::StreamConfig(frameRate, 1);
            config.reverse_output_stream() = config.reverse_input_stream();
            auto* vad = apm->voice_detection();
            // Sized for these streams now: a format first met in ProcessStream would make the
            // library re-initialise (and allocate) on the audio thread.
            if (apm->Initialize(config) == webrtc::AudioProcessing::kNoError &&
                vad->set_likelihood(webrtc::VoiceDetection::kLowLikelihood) ==
                    webrtc::AudioProcessing::kNoError &&
                vad->Enable(true) == webrtc::AudioProcessing::kNoError) {
                apm_ = std::move(apm);
                latency_ = adapter_.latencyFrames();
            }
        }
    }
    channelWeight_ = channels == 1 ? 2.0f : 1.0f;
    const auto sections = kWeightingCoefficients(rate);
    kWeighting_.assign(channels, {});
    for (auto& filters : kWeighting_) {
        filters[0].setCoefficients(sections[0]);
        filters[1].setCoefficients(sections[1]);
    }
    weighted_.assign(adapter_.frameFrames(), 0.0f);
    reset();
}

void AgcEffect::clearMeasurement() noexcept {
    for (auto& filters : kWeighting_) {
        filters[0].reset();
        filters[1].reset();
    }
    speechEnergy_.fill(0.0);
    newestFrame_ = 0;
    framesMeasured_ = 0;
    blockEnergy_.fill(0.0);
    newestBlock_ = 0;
    blocksFilled_ = 0;
    blockSum_ = 0.0;
    framesInBlock_ = 0;
    moving_ = false;
    framesSinceVoice_ = kHoldFrames + 1;
    gainDb_ = 0.0f;
    limiterGain_ = 1.0f;
}

double AgcEffect::frameEnergy(float* const* frame) noexcept {
    const uint32_t frames = adapter_.frameFrames();
    double energy = 0.0;
    for (uint32_t c = 0; c < adapter_.channels(); ++c) {
        std::copy_n(frame[c], frames, weighted_.data());
        kWeighting_[c][0].process(weighted_.data(), frames);
        kWeighting_[c][1].process(weighted_.data(), frames);
        double sum = 0.0;
        for (uint32_t i = 0; i < frames; ++i) {
            sum += static_cast<double>(weighted_[i]) * weighted_[i];
        }
        energy += channelWeight_ * sum / frames;
    }
    return energy;
}

bool AgcEffect::levelMovesLikeSpeech(double energy) noexcept {
    blockSum_ += energy;
    if (++framesInBlock_ == kFramesPerBlock) {
        blockEnergy_[newestBlock_] = blockSum_ / kFramesPerBlock;
        newestBlock_ = (newestBlock_ + 1) % kEvidenceBlocks;
        blocksFilled_ = std::min(blocksFilled_ + 1, kEvidenceBlocks);
        blockSum_ = 0.0;
        framesInBlock_ = 0;
        // (The first blocksFilled_ entries are the ones written.)
        const auto [quietest, loudest] =
            std::minmax_element(blockEnergy_.begin(), blockEnergy_.begin() + blocksFilled_);
        moving_ = blocksFilled_ >= kMinEvidenceBlocks && *loudest > kSpeechRange * *quietest;
    }
    return moving_;
}

void AgcEffect::steerGain(double energy, bool voice) noexcept {
    // BS.1770: loudness = -0.691 + 10 log10(sum of the channels' K-weighted mean squares).
    const auto loudnessOf = [](double e) { return -0.691 + 10.0 * std::log10(e + 1e-30); };
    const double frameLoudness = loudnessOf(energy);
    // The detector takes steady noise (what a suppressor before the AGC leaves, say) for voice
    // often enough to bring it up to the target with nobody speaking. Speech comes in
    // syllables, its level swings by more than 10 dB within a second; steady noise's does not.
    // So the gain is raised only while the level moves like speech; lowered whenever the
    // detector hears voice (that never brings noise up).
    const bool speechLike = levelMovesLikeSpeech(energy);
    if (voice && frameLoudness > kAbsoluteGateLufs) {
        framesSinceVoice_ = 0;
    } else if (framesSinceVoice_ <= kHoldFrames) {
        ++framesSinceVoice_;
    }
    if (framesSinceVoice_ > kHoldFrames) {
        return;  // frozen: pauses and noise are neither measured nor brought up
    }
    // (The first framesMeasured_ entries are the ones written.)
    speechEnergy_[newestFrame_] = energy;
    newestFrame_ = (newestFrame_ + 1) % kWindowFrames;
    framesMeasured_ = std::min(framesMeasured_ + 1, kWindowFrames);
    if (framesMeasured_ < kFramesBeforeSteering) {
        return;
    }
    double sum = 0.0;
    for (uint32_t i = 0; i < framesMeasured_; ++i) {
        sum += speechEnergy_[i];
    }
    // Measured on the input and the gain added: the output's loudness without the lag a loop
    // around the 3 s window would have (it would overshoot at these rates).
    const double inputLoudness = loudnessOf(sum / framesMeasured_);
    const double wanted = std::clamp(targetLufs_ - inputLoudness, static_cast<double>(kMinGainDb),
                                     static_cast<double>(std::max(kMinGainDb, maxGainDb_)));
    const double frameSeconds = VoiceFrameAdapter::kFrameMs / 1000.0;
    const double error = wanted - gainDb_;
    double step = 0.0;
    if (error > 0.0) {
        step = speechLike ? std::min(error * (1.0 - std::exp(-frameSeconds / kRiseSeconds)),
                                     kMaxRiseDbPerSecond * frameSeconds)
                          : 0.0;
    } else {
        step = std::max(error * (1.0 - std::exp(-frameSeconds / kFallSeconds)),
                        -kMaxFallDbPerSecond * frameSeconds);
    }
    gainDb_ = static_cast<float>(gainDb_ + step);
}

void AgcEffect::applyGain(float* const* frame, float fromGain, float toGain) noexcept {
    // A linear ramp over the frame: the gain moves without steps.
    const uint32_t frames = adapter_.frameFrames();
    const float step = (toGain - fromGain) / static_cast<float>(frames);
    for (uint32_t c = 0; c < adapter_.channels(); ++c) {
        float* x = frame[c];
        for (uint32_t i = 0; i < frames; ++i) {
            x[i] *= fromGain + step * static_cast<float>(i + 1);
        }
    }
}

void AgcEffect::limit(float* const* frame) noexcept {
    // The whole frame is known before any of it plays, so it is its own look-ahead: the gain
    // drops at the frame's start to what its highest peak needs and rises back slowly after.
    const uint32_t frames = adapter_.frameFrames();
    const float ceiling = dbToGain(kCeilingDbfs);
    float peak = 0.0f;
    for (uint32_t c = 0; c < adapter_.channels(); ++c) {
        for (uint32_t i = 0; i < frames; ++i) {
            peak = std::max(peak, std::abs(frame[c][i]));
        }
    }
    const float needed = peak > ceiling ? ceiling / peak : 1.0f;
    const float from = std::min(limiterGain_, needed);
    const auto release = static_cast<float>(std::exp(
        -static_cast<double>(VoiceFrameAdapter::kFrameMs) / 1000.0 / kLimiterReleaseSeconds));
    const float to = std::min(needed, 1.0f - (1.0f - from) * release);
    limiterGain_ = to;
    if (from < 1.0f || to < 1.0f) {
        applyGain(frame, from, to);  // both at most `needed`: no sample crosses the ceiling
    }
}

void AgcEffect::processFrame(float* const* frame) noexcept {
    const webrtc::StreamConfig config(static_cast<int>(adapter_.processingRate()),
                                      static_cast<int>(adapter_.channels()));
    const bool analysed =
        apm_->ProcessStream(frame, config, config, frame) == webrtc::AudioProcessing::kNoError;
    const bool voice = analysed && apm_->voice_detection()->stream_has_voice();
    const float before = dbToGain(gainDb_);
    steerGain(frameEnergy(frame), voice);
    applyGain(frame, before, dbToGain(gainDb_));
    if (limiterOn_) {
        limit(frame);
    }
}

void AgcEffect::process(AudioBlock block) noexcept {
    if (apm_ == nullptr) {
        return;
    }
    const auto& p = parameters();
    targetLufs_ = p.get(kTargetDbfs);
    maxGainDb_ = p.get(kMaxGainDb);
    limiterOn_ = p.getBool(kLimiter);
    adapter_.process(block, AudioBlock(),
                     [this](float* const* frame, const float*) { processFrame(frame); });
    if (limiterOn_) {
        // Resampled streams: the downsampler rings over the frames' peaks by a fraction of a
        // decibel; the few samples it lifts over the ceiling are held to it.
        const float ceiling = dbToGain(kCeilingDbfs);
        for (uint32_t c = 0; c < std::min(block.channelCount(), adapter_.channels()); ++c) {
            float* out = block.channel(c);
            for (uint32_t i = 0; i < block.frameCount(); ++i) {
                out[i] = std::clamp(out[i], -ceiling, ceiling);
            }
        }
    }
}

void AgcEffect::reset() noexcept {
    if (apm_ != nullptr) {
        adapter_.flush([this](float* const* frame, const float*) { processFrame(frame); });
    }
    clearMeasurement();
}

}  // namespace liverack::core
