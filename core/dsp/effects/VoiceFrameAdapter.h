// Turns a stream of host blocks of any size and rate into the 10 ms frames at 16, 32 or 48 kHz
// that webrtc-audio-processing works on, and back, with a constant latency: native rates are
// framed directly (latency one frame), other rates go through libsoxr to 48 kHz and back.
// Shared by the voice effects (denoise, agc, echo_cancel).
#pragma once

#include <cstdint>
#include <vector>

#include "core/dsp/AudioBlock.h"
#include "core/util/Result.h"

struct soxr;

namespace liverack::core {

class VoiceFrameAdapter {
public:
    static constexpr uint32_t kFrameMs = 10;
    // Processing rate for streams at a rate the library does not take (44.1, 88.2, 96 kHz...).
    static constexpr uint32_t kResampledRate = 48000;
    // webrtc-audio-processing 0.3 splits 32 and 48 kHz frames into 16 kHz bands with IIR filter
    // banks whose delay (the peak of the cross-correlation of broadband noise, measured) is 4
    // samples at 32 kHz and 46 at 48 kHz; 16 kHz frames are not split. Every component that
    // works on bands (noise suppression, gain control, echo cancellation) adds this.
    static uint32_t bandSplitDelay(uint32_t processingRate) noexcept;
    // Its noise suppressor overlaps a 256-sample window over 160-sample blocks of the 16 kHz
    // band: 96 samples there, 6 ms at every rate (measured: 96, 192, 288 at 16, 32, 48 kHz).
    static uint32_t noiseSuppressorDelay(uint32_t processingRate) noexcept {
        return 6 * processingRate / 1000;
    }

    // The rate frames are processed at for a stream rate: itself where the library takes it.
    static uint32_t processingRateFor(double streamRate) noexcept;

    VoiceFrameAdapter();
    ~VoiceFrameAdapter();
    VoiceFrameAdapter(const VoiceFrameAdapter&) = delete;
    VoiceFrameAdapter& operator=(const VoiceFrameAdapter&) = delete;

    // Off the audio thread. `withReference`: also frames a mono reference signal (the far end)
    // in step with the stream. `libraryDelay`: what the frame processing itself delays by, in
    // samples at the processing rate (bandSplitDelay and friends), counted into latencyFrames().
    Status prepare(double streamRate, uint32_t maxBlockFrames, uint32_t channels,
                   bool withReference, uint32_t libraryDelay);

    uint32_t processingRate() const noexcept { return processingRate_; }
    uint32_t frameFrames() const noexcept { return frameFrames_; }
    uint32_t channels() const noexcept { return channels_; }
    bool isResampling() const noexcept { return up_ != nullptr; }
    // Input sample n comes out at n + latencyFrames() (to half a sample: the library's delay
    // rescaled from 48 kHz to a resampled stream's rate is rounded).
    uint32_t latencyFrames() const noexcept { return latency_; }
    // Blocks that found the output short (zeros played, the latency kept); stays 0 by design.
    uint64_t underrunCount() const noexcept { return underruns_; }

    // Runs one block through: `processFrame(float* const* channels, const float* reference)`
    // is called for every complete frame, in place, with the frame's mono reference (silence
    // where `reference` had no channels), or nullptr when prepared without a reference.
    template <typename ProcessFrame>
    void process(AudioBlock block, AudioBlock reference, ProcessFrame&& processFrame) noexcept {
        if (!push(block, reference)) {
            return;
        }
        while (staged_ >= frameFrames_) {
            processFrame(stagePointers_.data(), withReference_ ? referenceStage_.data() : nullptr);
            finishFrame();
        }
        pull(block);
    }

    // Drops everything the adapter and the frame processing hold of earlier audio, keeping the
    // latency: silence is run through (as if played), `processFrame` called for it as usual.
    template <typename ProcessFrame>
    void flush(ProcessFrame&& processFrame) noexcept {
        clearContents();
        for (uint32_t left = flushFrames_; left > 0;) {
            const uint32_t n = left < maxBlock_ ? left : maxBlock_;
            const AudioBlock silence(flushPointers_.data(), channels_, n);
            silence.clear();  // the previous round's output is still in it
            process(silence, AudioBlock(), processFrame);
            left -= n;
        }
    }

private:
    // Takes the block (and reference) into the processing-rate stage; false if it cannot.
    bool push(AudioBlock block, AudioBlock reference) noexcept;
    // Hands the processed frame at the front of the stage on to the output.
    void finishFrame() noexcept;
    // Writes the block's frames from the output FIFO.
    void pull(AudioBlock block) noexcept;
    void clearContents() noexcept;
    void warmUpResamplers();
    void release() noexcept;

    uint32_t streamRate_ = 48000;
    uint32_t processingRate_ = 48000;
    uint32_t frameFrames_ = 480;
    uint32_t channels_ = 0;
    uint32_t maxBlock_ = 0;
    bool withReference_ = false;
    uint32_t latency_ = 0;
    uint32_t flushFrames_ = 0;
    uint64_t underruns_ = 0;
    uint32_t debt_ = 0;  // output frames owed after an underrun, dropped when output arrives
    // Resampler output of the warm-up still to come and be dropped.
    uint32_t upDiscard_ = 0;
    uint32_t downDiscard_ = 0;

    // Resamplers (null at native rates): stream -> processing for the stream and reference,
    // processing -> stream for the processed frames.
    soxr* up_ = nullptr;
    soxr* down_ = nullptr;
    soxr* referenceUp_ = nullptr;

    // Processing-rate stage: the frame being collected at the front, more behind it.
    std::vector<std::vector<float>> stage_;
    std::vector<float*> stagePointers_;
    std::vector<const float*> readPointers_;  // the same, read-only (what soxr takes)
    std::vector<float*> writePointers_;       // where the upsampler writes next
    std::vector<float> referenceStage_;
    uint32_t staged_ = 0;
    uint32_t stageCapacity_ = 0;
    std::vector<float> referenceMix_;  // the reference block mixed to mono, at the stream rate

    // Output FIFO at the stream rate (power-of-two rings; indices wrap as unsigned counters).
    std::vector<std::vector<float>> fifo_;
    uint32_t fifoMask_ = 0;
    uint32_t fifoWrite_ = 0;
    uint32_t fifoRead_ = 0;
    uint32_t prefill_ = 0;  // silence the FIFO starts with: covers framing and resampler hold
    // The downsampler's output for one frame, per channel.
    std::vector<std::vector<float>> scratch_;
    std::vector<float*> scratchPointers_;

    std::vector<std::vector<float>> flushBuffer_;
    std::vector<float*> flushPointers_;
};

}  // namespace liverack::core
