#include "core/dsp/effects/VoiceFrameAdapter.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace liverack::core {
namespace {

// libsoxr's low quality: linear phase, 16-bit precision, its passband ending near 0.8 of
// Nyquist (17.6 kHz at 44.1 kHz, far above what matters to a voice). Its medium and high
// settings hold about 450 samples each way (~20 ms in all); this one 23 up and 97 down.
constexpr unsigned long kQuality = SOXR_LQ;

soxr* createResampler(double from, double to, uint32_t channels, std::string& error) {
    soxr_error_t failure = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
    const soxr_quality_spec_t quality = soxr_quality_spec(kQuality, 0);
    // One thread: the audio thread must not hand work to a pool (or wait for one). DFT blocks
    // of 256: the default 1024 made the downsampler hold 443 samples back instead of 97.
    soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    runtime.log2_min_dft_size = 8;
    runtime.log2_large_dft_size = 8;
    soxr* resampler = soxr_create(from, to, channels, &failure, &io, &quality, &runtime);
    if (failure != nullptr) {
        error = failure;
        soxr_delete(resampler);
        return nullptr;
    }
    return resampler;
}

// The most output a resampler from `from` to `to` holds back behind the ideal count
// (input × ratio) while fed chunks of `chunk` frames, measured on a throwaway one of the same
// design: libsoxr trims its filter delay, so its output is aligned with its input and this
// hold (filter look-ahead plus block granularity) is all the buffering it needs downstream.
double measureHold(double from, double to, uint32_t chunk) {
    std::string error;
    soxr* resampler = createResampler(from, to, 1, error);
    if (resampler == nullptr) {
        return 0.0;
    }
    std::vector<float> in(chunk, 0.0f);
    std::vector<float> out(static_cast<size_t>(std::ceil(chunk * to / from)) + 8192, 0.0f);
    const double ratio = to / from;
    uint64_t fed = 0;
    uint64_t produced = 0;
    double worst = 0.0;
    const auto total = static_cast<uint64_t>(from / 2);  // half a second covers many cycles
    while (fed < total) {
        const float* inPointers[] = {in.data()};
        float* outPointers[] = {out.data()};
        size_t used = 0;
        size_t made = 0;
        soxr_process(resampler, inPointers, chunk, &used, outPointers, out.size(), &made);
        fed += used;
        produced += made;
        worst = std::max(worst, static_cast<double>(fed) * ratio - static_cast<double>(produced));
    }
    soxr_delete(resampler);
    return worst;
}

uint32_t nextPowerOfTwo(uint64_t n) {
    uint32_t p = 1;
    while (p < n) {
        p <<= 1;
    }
    return p;
}

}  // namespace

uint32_t VoiceFrameAdapter::bandSplitDelay(uint32_t processingRate) noexcept {
    switch (processingRate) {
        case 32000:
            return 4;
        case 48000:
            return 46;
        default:
            return 0;
    }
}

uint32_t VoiceFrameAdapter::processingRateFor(double streamRate) noexcept {
    const auto rate = std::lround(streamRate);
    return rate == 16000 || rate == 32000 || rate == 48000 ? static_cast<uint32_t>(rate)
                                                           : kResampledRate;
}

VoiceFrameAdapter::VoiceFrameAdapter() = default;
VoiceFrameAdapter::~VoiceFrameAdapter() {
    release();
}

void VoiceFrameAdapter::release() noexcept {
    soxr_delete(up_);
    soxr_delete(down_);
    soxr_delete(referenceUp_);
    up_ = down_ = referenceUp_ = nullptr;
}

Status VoiceFrameAdapter::prepare(double streamRate, uint32_t maxBlockFrames, uint32_t channels,
                                  bool withReference, uint32_t libraryDelay) {
    release();
    channels_ = 0;
    if (!(streamRate >= 8000.0 && streamRate <= 768000.0) || channels == 0 || maxBlockFrames == 0) {
        return Error{"the voice effects need a stream of 8 to 768 kHz with at least one channel."};
    }
    streamRate_ = static_cast<uint32_t>(std::lround(streamRate));
    processingRate_ = processingRateFor(streamRate_);
    const bool native = processingRate_ == streamRate_;
    frameFrames_ = processingRate_ * kFrameMs / 1000;
    maxBlock_ = maxBlockFrames;
    withReference_ = withReference;
    const double ratio = static_cast<double>(processingRate_) / streamRate_;
    const auto frameAtStreamRate = static_cast<uint32_t>(std::ceil(frameFrames_ / ratio));

    double holdUp = 0.0;    // at the processing rate
    double holdDown = 0.0;  // at the stream rate
    if (!native) {
        std::string error;
        up_ = createResampler(streamRate_, processingRate_, channels, error);
        down_ = up_ != nullptr ? createResampler(processingRate_, streamRate_, channels, error)
                               : nullptr;
        referenceUp_ = withReference && down_ != nullptr
                           ? createResampler(streamRate_, processingRate_, 1, error)
                           : nullptr;
        if (up_ == nullptr || down_ == nullptr || (withReference && referenceUp_ == nullptr)) {
            release();
            return Error{"libsoxr could not convert " + std::to_string(streamRate_) + " Hz to " +
                         std::to_string(processingRate_) + " Hz: " + error + "."};
        }
        holdUp = std::max(measureHold(streamRate_, processingRate_, 1),
                          measureHold(streamRate_, processingRate_, maxBlock_));
        holdDown = measureHold(processingRate_, streamRate_, frameFrames_);
    }
    // Output the host asks for before a frame can have come back. At a native rate one frame
    // exactly: after pushing k blocks of B frames, floor(kB/F) frames are done and
    // F + F·floor(kB/F) >= kB have arrived. Resampled, the resamplers' holds add to it (in
    // stream samples), plus a sample for each rounding up.
    prefill_ =
        native
            ? frameFrames_
            : static_cast<uint32_t>(std::ceil(holdUp / ratio + frameFrames_ / ratio + holdDown)) +
                  2;
    latency_ = prefill_ + static_cast<uint32_t>(std::lround(libraryDelay / ratio));
    // Silence that clears every place earlier audio can linger: the FIFO's prefill, the frame
    // being collected, the library's own memory (two frames: its output goes to exact zero
    // within that of silence, measured) and the resamplers' filters.
    flushFrames_ = latency_ + 5 * frameAtStreamRate + static_cast<uint32_t>(holdUp / ratio) +
                   static_cast<uint32_t>(holdDown) + 512;

    stageCapacity_ = frameFrames_ + static_cast<uint32_t>(std::ceil(maxBlock_ * ratio)) +
                     static_cast<uint32_t>(holdUp) + 64;
    stage_.assign(channels, std::vector<float>(stageCapacity_, 0.0f));
    stagePointers_.resize(channels);
    readPointers_.resize(channels);
    writePointers_.resize(channels);
    for (uint32_t c = 0; c < channels; ++c) {
        stagePointers_[c] = stage_[c].data();
        readPointers_[c] = stage_[c].data();
    }
    referenceStage_.assign(withReference ? stageCapacity_ : 0, 0.0f);
    referenceMix_.assign(withReference ? maxBlock_ : 0, 0.0f);
    staged_ = 0;

    const uint32_t scratchFrames = frameAtStreamRate + static_cast<uint32_t>(holdDown) + 64;
    scratch_.assign(native ? 0 : channels, std::vector<float>(scratchFrames, 0.0f));
    scratchPointers_.resize(scratch_.size());
    for (size_t c = 0; c < scratch_.size(); ++c) {
        scratchPointers_[c] = scratch_[c].data();
    }
    const uint32_t fifoSize =
        nextPowerOfTwo(static_cast<uint64_t>(prefill_) + maxBlock_ + 2 * scratchFrames + 64);
    fifo_.assign(channels, std::vector<float>(fifoSize, 0.0f));
    fifoMask_ = fifoSize - 1;
    fifoRead_ = 0;
    fifoWrite_ = prefill_;
    underruns_ = 0;
    debt_ = 0;

    flushBuffer_.assign(channels, std::vector<float>(maxBlock_, 0.0f));
    flushPointers_.resize(channels);
    for (uint32_t c = 0; c < channels; ++c) {
        flushPointers_[c] = flushBuffer_[c].data();
    }
    channels_ = channels;
    if (up_ != nullptr) {
        warmUpResamplers();
    }
    return {};
}

void VoiceFrameAdapter::warmUpResamplers() {
    // libsoxr grows its input FIFO (realloc) the first time a chunk of a new size arrives: feed
    // it the largest chunks here. A whole number of output samples must come of the warm-up
    // (a multiple of stream/gcd input samples), so that dropping exactly that many keeps the
    // real stream aligned.
    const uint64_t stream = streamRate_;
    const uint64_t processing = processingRate_;
    const uint64_t unit = stream / std::gcd(stream, processing);
    const uint64_t wanted = 8ull * maxBlock_ + 1;
    const uint64_t warmIn = (wanted + unit - 1) / unit * unit;
    std::vector<const float*> in(channels_, flushBuffer_[0].data());
    std::vector<float> sink(stageCapacity_ + 64, 0.0f);
    std::vector<float*> out(channels_, sink.data());
    size_t made = 0;
    for (uint64_t fed = 0; fed < warmIn;) {
        const auto n = static_cast<size_t>(std::min<uint64_t>(maxBlock_, warmIn - fed));
        size_t used = 0;
        size_t got = 0;
        soxr_process(up_, in.data(), n, &used, out.data(), sink.size(), &got);
        if (referenceUp_ != nullptr) {
            size_t referenceUsed = 0;
            size_t referenceGot = 0;
            soxr_process(referenceUp_, in.data(), n, &referenceUsed, out.data(), sink.size(),
                         &referenceGot);
        }
        fed += n;
        made += got;
    }
    upDiscard_ = static_cast<uint32_t>(warmIn * processing / stream - made);

    // The downsampler takes whole frames; as many as give a whole number of stream samples.
    uint64_t frames = 4;
    while ((frames * frameFrames_ * stream) % processing != 0 && frames < 4000) {
        ++frames;
    }
    std::vector<float> zeros(frameFrames_, 0.0f);
    std::vector<const float*> frameIn(channels_, zeros.data());
    made = 0;
    for (uint64_t f = 0; f < frames; ++f) {
        size_t used = 0;
        size_t got = 0;
        soxr_process(down_, frameIn.data(), frameFrames_, &used, scratchPointers_.data(),
                     scratch_[0].size(), &got);
        made += got;
    }
    downDiscard_ = static_cast<uint32_t>(frames * frameFrames_ * stream / processing - made);
}

bool VoiceFrameAdapter::push(AudioBlock block, AudioBlock reference) noexcept {
    const uint32_t frames = block.frameCount();
    if (channels_ == 0 || block.channelCount() < channels_ || frames > maxBlock_ || frames == 0) {
        return false;
    }
    if (withReference_) {
        // The far end mixed to mono: one echo path per microphone channel, not one per pair.
        const uint32_t sources = reference.frameCount() >= frames ? reference.channelCount() : 0;
        const float scale = sources > 0 ? 1.0f / static_cast<float>(sources) : 0.0f;
        std::fill_n(referenceMix_.begin(), frames, 0.0f);
        for (uint32_t c = 0; c < sources; ++c) {
            const float* in = reference.channel(c);
            for (uint32_t i = 0; i < frames; ++i) {
                referenceMix_[i] += scale * in[i];
            }
        }
    }
    if (up_ == nullptr) {
        const uint32_t n = std::min(frames, stageCapacity_ - staged_);
        for (uint32_t c = 0; c < channels_; ++c) {
            std::copy_n(block.channel(c), n, stage_[c].data() + staged_);
        }
        if (withReference_) {
            std::copy_n(referenceMix_.data(), n, referenceStage_.data() + staged_);
        }
        staged_ += n;
        return true;
    }
    for (uint32_t c = 0; c < channels_; ++c) {
        writePointers_[c] = stage_[c].data() + staged_;
    }
    size_t used = 0;
    size_t made = 0;
    soxr_process(up_, block.channels(), frames, &used, writePointers_.data(),
                 stageCapacity_ - staged_, &made);
    if (withReference_) {
        // Fed exactly like the stream since both were made, the reference resampler produces
        // the same counts; the guard only keeps a mismatch from reading past the stage.
        const float* in[] = {referenceMix_.data()};
        float* out[] = {referenceStage_.data() + staged_};
        size_t referenceUsed = 0;
        size_t referenceMade = 0;
        soxr_process(referenceUp_, in, frames, &referenceUsed, out, stageCapacity_ - staged_,
                     &referenceMade);
        if (referenceMade < made) {
            std::fill(out[0] + referenceMade, out[0] + made, 0.0f);
        }
    }
    // What is still owed of the warm-up's output is dropped, the reference's in step.
    const auto drop = static_cast<uint32_t>(std::min<size_t>(upDiscard_, made));
    if (drop > 0) {
        for (uint32_t c = 0; c < channels_; ++c) {
            float* at = stage_[c].data() + staged_;
            std::copy(at + drop, at + made, at);
        }
        if (withReference_) {
            float* at = referenceStage_.data() + staged_;
            std::copy(at + drop, at + made, at);
        }
        upDiscard_ -= drop;
    }
    staged_ += static_cast<uint32_t>(made) - drop;
    return true;
}

void VoiceFrameAdapter::finishFrame() noexcept {
    const float* const* frame = readPointers_.data();
    uint32_t count = frameFrames_;
    const float* const* source = frame;
    if (down_ != nullptr) {
        size_t used = 0;
        size_t made = 0;
        soxr_process(down_, frame, frameFrames_, &used, scratchPointers_.data(), scratch_[0].size(),
                     &made);
        count = static_cast<uint32_t>(made);
        source = scratchPointers_.data();
    }
    const uint32_t owed = std::min(downDiscard_, count);
    downDiscard_ -= owed;
    const uint32_t skip = owed + std::min(debt_, count - owed);
    debt_ -= skip - owed;
    const uint32_t room = fifoMask_ + 1 - (fifoWrite_ - fifoRead_);
    const uint32_t n = std::min(count - skip, room);
    for (uint32_t c = 0; c < channels_; ++c) {
        float* ring = fifo_[c].data();
        const float* in = source[c] + skip;
        for (uint32_t i = 0; i < n; ++i) {
            ring[(fifoWrite_ + i) & fifoMask_] = in[i];
        }
    }
    fifoWrite_ += n;

    staged_ -= frameFrames_;
    for (uint32_t c = 0; c < channels_; ++c) {
        std::copy_n(stage_[c].data() + frameFrames_, staged_, stage_[c].data());
    }
    if (withReference_) {
        std::copy_n(referenceStage_.data() + frameFrames_, staged_, referenceStage_.data());
    }
}

void VoiceFrameAdapter::pull(AudioBlock block) noexcept {
    const uint32_t frames = block.frameCount();
    const uint32_t take = std::min(frames, fifoWrite_ - fifoRead_);
    for (uint32_t c = 0; c < channels_; ++c) {
        float* out = block.channel(c);
        const float* ring = fifo_[c].data();
        for (uint32_t i = 0; i < take; ++i) {
            out[i] = ring[(fifoRead_ + i) & fifoMask_];
        }
        std::fill(out + take, out + frames, 0.0f);
    }
    if (take < frames) {
        ++underruns_;
        debt_ += frames - take;
    }
    fifoRead_ += take;
}

void VoiceFrameAdapter::clearContents() noexcept {
    for (auto& channel : stage_) {
        std::fill(channel.begin(), channel.end(), 0.0f);
    }
    std::fill(referenceStage_.begin(), referenceStage_.end(), 0.0f);
    for (auto& ring : fifo_) {
        std::fill(ring.begin(), ring.end(), 0.0f);
    }
}

}  // namespace liverack::core
