#include "core/engine/SampleTaps.h"

#include <algorithm>

namespace liverack::core {

void SampleTaps::prepare(double sampleRate, uint32_t channels, uint32_t maxBlockFrames) {
    sampleRate_ = sampleRate;
    channels_ = channels;
    const auto ringFrames = [&](double seconds) {
        return std::max<size_t>(static_cast<size_t>(sampleRate * seconds), 4 * maxBlockFrames);
    };
    preAnalysis_ = std::make_unique<SampleRing>(channels, ringFrames(kAnalysisRingSeconds));
    postAnalysis_ = std::make_unique<SampleRing>(channels, ringFrames(kAnalysisRingSeconds));
    preRecord_ = std::make_unique<SampleRing>(channels, ringFrames(kRecordRingSeconds));
    postRecord_ = std::make_unique<SampleRing>(channels, ringFrames(kRecordRingSeconds));
    preSend_ = std::make_unique<SampleRing>(channels, ringFrames(kSendRingSeconds));
    postSend_ = std::make_unique<SampleRing>(channels, ringFrames(kSendRingSeconds));
    preListen_ = std::make_unique<SampleRing>(channels, ringFrames(kListenRingSeconds));
    postListen_ = std::make_unique<SampleRing>(channels, ringFrames(kListenRingSeconds));
    postMicrophone_ = std::make_unique<SampleRing>(channels, ringFrames(kMicrophoneRingSeconds));
}

void SampleTaps::setRecordEnabled(Tap tap, bool enabled) noexcept {
    const uint8_t bit = tap == Tap::Pre ? kPreBit : kPostBit;
    if (enabled) {
        recordTaps_.fetch_or(bit, std::memory_order_release);
    } else {
        recordTaps_.fetch_and(static_cast<uint8_t>(~bit), std::memory_order_release);
    }
}

uint64_t SampleTaps::droppedAnalysisFrames() const noexcept {
    return (preAnalysis_ ? preAnalysis_->droppedFrames() : 0) +
           (postAnalysis_ ? postAnalysis_->droppedFrames() : 0);
}

}  // namespace liverack::core
