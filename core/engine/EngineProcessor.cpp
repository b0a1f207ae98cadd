#include "core/engine/EngineProcessor.h"

#include <algorithm>
#include <chrono>

#include "core/engine/ScopedNoDenormals.h"
#include "core/rt/RealTimeThread.h"

namespace liverack::core {

EngineProcessor::EngineProcessor() : chain_(new EffectChain()) {}

EngineProcessor::~EngineProcessor() {
    delete incoming_;
    delete chain_;
}

void EngineProcessor::prepare(const ProcessSpec& spec, std::unique_ptr<InputSource> source) {
    spec_ = spec;
    work_.resize(spec.channels, spec.maxBlockFrames);
    reference_.resize(spec.channels, spec.maxBlockFrames);
    source_ = std::move(source);
    if (source_) {
        source_->prepare(spec);
        source_->reset();
    }
    installNewestChain();
    chain_->prepare(spec);
    chain_->reset();
    chainLatency_.store(chain_->latencyFrames(), std::memory_order_relaxed);
    safety_.prepare(spec);

    taps_.prepare(spec.sampleRate, spec.channels, spec.maxBlockFrames);
    fadeInRequested_.store(false);
    fadeOutRequested_.store(false);
    fadedOut_.store(true);
    streaming_.store(false);
}

void EngineProcessor::installNewestChain() {
    if (incoming_ != nullptr) {
        handover_.retire(chain_);
        chain_ = incoming_;
        incoming_ = nullptr;
    }
    handover_.collectRetired();
    while (EffectChain* pending = handover_.takePending()) {
        handover_.retire(chain_);
        chain_ = pending;
        handover_.collectRetired();
    }
    chainLatency_.store(chain_->latencyFrames(), std::memory_order_relaxed);
}

void EngineProcessor::streamStopped() {
    streaming_.store(false, std::memory_order_release);
    installNewestChain();
}

Status EngineProcessor::setChain(std::unique_ptr<EffectChain> chain) {
    if (!chain) {
        return Error{"no chain to install"};
    }
    if (chain->size() > EffectChain::kMaxLength) {
        return Error{"a chain holds at most " + std::to_string(EffectChain::kMaxLength) +
                     " effects; this one has " + std::to_string(chain->size())};
    }
    chain->prepare(spec_);
    if (!streaming_.load(std::memory_order_acquire)) {
        // Nothing runs the chain yet: install at once (the next start fades in anyway).
        delete chain_;
        chain_ = chain.release();
        chain_->reset();
        chainLatency_.store(chain_->latencyFrames(), std::memory_order_relaxed);
        return {};
    }
    if (!handover_.submit(std::move(chain))) {
        return Error{"too many chain changes at once; try again in a moment"};
    }
    return {};
}

void EngineProcessor::takePendingChain() noexcept {
    if (incoming_ == nullptr) {
        incoming_ = handover_.takePending();
        if (incoming_ != nullptr) {
            safety_.fadeOut();  // swap at silence, then fade the new chain in
        }
    }
    if (incoming_ != nullptr && safety_.isSilent()) {
        handover_.retire(chain_);
        chain_ = incoming_;
        incoming_ = nullptr;
        chainLatency_.store(chain_->latencyFrames(), std::memory_order_relaxed);
        if (!fadeOutRequested_.load(std::memory_order_relaxed)) {
            safety_.fadeIn(SafetyStage::kFadeInSeconds, chain_->unplayedLatencyFrames());
        }
    }
}

void EngineProcessor::process(const float* const* input, uint32_t inputChannels,
                              float* const* output, uint32_t outputChannels, uint32_t frames,
                              bool xrun) noexcept {
    process(input, inputChannels, nullptr, 0, output, outputChannels, frames, xrun);
}

void EngineProcessor::process(const float* const* input, uint32_t inputChannels,
                              const float* const* reference, uint32_t referenceChannels,
                              float* const* output, uint32_t outputChannels, uint32_t frames,
                              bool xrun) noexcept {
    const auto started = std::chrono::steady_clock::now();
    ScopedNoDenormals noDenormals;
    RealTimeThread::Scope realTime;
    streaming_.store(true, std::memory_order_release);

    if (fadeInRequested_.exchange(false, std::memory_order_acq_rel)) {
        fadedOut_.store(false, std::memory_order_release);
        safety_.fadeIn(fadeInSeconds_.load(std::memory_order_relaxed),
                       chain_->unplayedLatencyFrames());
    }
    if (fadeOutRequested_.load(std::memory_order_acquire)) {
        safety_.fadeOut();
    }

    // A device may deliver more frames than prepared (JACK can change its period): split.
    for (uint32_t offset = 0; offset < frames; offset += spec_.maxBlockFrames) {
        const uint32_t n = std::min(spec_.maxBlockFrames, frames - offset);
        processBlock(input, inputChannels, reference, referenceChannels, output, outputChannels,
                     offset, n);
    }

    if (fadeOutRequested_.load(std::memory_order_relaxed) && safety_.isSilent()) {
        fadedOut_.store(true, std::memory_order_release);
    }
    const auto busy = std::chrono::steady_clock::now() - started;
    stats_.recordCallback(frames, static_cast<uint64_t>(std::chrono::nanoseconds(busy).count()),
                          1e9 * frames / spec_.sampleRate, xrun);
}

void EngineProcessor::processBlock(const float* const* input, uint32_t inputChannels,
                                   const float* const* reference, uint32_t referenceChannels,
                                   float* const* output, uint32_t outputChannels, uint32_t offset,
                                   uint32_t frames) noexcept {
    takePendingChain();
    taps_.beginBlock();
    AudioBlock block = work_.block(frames);
    if (source_) {
        source_->process(block);
    } else if (input != nullptr && inputChannels > 0) {
        for (uint32_t c = 0; c < block.channelCount(); ++c) {
            // Fewer device inputs than processing channels: repeat the last (mono mic -> stereo).
            const float* in = input[std::min(c, inputChannels - 1)] + offset;
            std::copy_n(in, frames, block.channel(c));
        }
    } else {
        block.clear();
    }

    AudioBlock far;  // empty: no reference
    if (reference != nullptr && referenceChannels > 0) {
        far = reference_.block(frames);
        for (uint32_t c = 0; c < far.channelCount(); ++c) {
            const float* in = reference[std::min(c, referenceChannels - 1)] + offset;
            std::copy_n(in, frames, far.channel(c));
        }
    }

    taps_.feed(Tap::Pre, block);

    chain_->process(block, far);
    const SafetyStage::Counts counts = safety_.process(block);
    if (counts.nonFinite != 0) {
        stats_.addNonFinite(counts.nonFinite);
    }
    if (counts.clipped != 0) {
        stats_.addClipped(counts.clipped);
    }

    taps_.feed(Tap::Post, block);

    if (output != nullptr) {
        for (uint32_t c = 0; c < outputChannels; ++c) {
            float* out = output[c] + offset;
            if (c < block.channelCount()) {
                std::copy_n(block.channel(c), frames, out);
            } else {
                std::fill_n(out, frames, 0.0f);
            }
        }
    }
}

}  // namespace liverack::core
