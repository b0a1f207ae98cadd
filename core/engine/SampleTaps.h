// Where the audio thread hands copies of the signal to other threads: before the chain (pre) and
// after the safety stage (post), one ring each for analysis (always fed; dropped and counted when
// its reader falls behind), one each for recording, one each for RTP sending, one each for the
// web monitor's listeners and one after the chain for the virtual microphone (fed only while
// enabled). The analysis engine, the recorder, the RTP streamer, the web server, the virtual
// microphone and other consumers take this object, not the callback body.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/dsp/AudioBuffer.h"
#include "core/rt/SampleRing.h"

namespace liverack::core {

enum class Tap { Pre, Post };

class SampleTaps {
public:
    static constexpr double kAnalysisRingSeconds = 1.0;
    static constexpr double kRecordRingSeconds = 10.0;
    // The network thread sends every few milliseconds; a second covers a long scheduling stall.
    static constexpr double kSendRingSeconds = 1.0;
    static constexpr double kListenRingSeconds = 1.0;  // the same reasoning for the web server
    // The microphone's reader keeps its own latency small and throws away what is older; the
    // ring only has to outlast a stall of PipeWire's thread.
    static constexpr double kMicrophoneRingSeconds = 0.5;

    // Control thread, nothing streaming: rings for `channels` at `sampleRate`, each holding at
    // least four blocks of `maxBlockFrames`. Readers of the old rings must have let go.
    void prepare(double sampleRate, uint32_t channels, uint32_t maxBlockFrames);
    double sampleRate() const noexcept { return sampleRate_; }
    uint32_t channels() const noexcept { return channels_; }

    // Audio thread, once per block before feeding: which record taps are on is read here, once,
    // so a recording of both taps starts and ends on the same block in both files.
    void beginBlock() noexcept {
        recording_ = recordTaps_.load(std::memory_order_acquire);
        sending_ = sendTaps_.load(std::memory_order_acquire);
        listening_ = listenTaps_.load(std::memory_order_acquire);
        microphone_ = microphoneTap_.load(std::memory_order_acquire);
        blocks_.fetch_add(1, std::memory_order_release);
    }
    void feed(Tap tap, AudioBlock block) noexcept {
        const bool pre = tap == Tap::Pre;
        const uint8_t bit = pre ? kPreBit : kPostBit;
        (pre ? *preAnalysis_ : *postAnalysis_).push(block);
        if ((recording_ & bit) != 0) {
            (pre ? *preRecord_ : *postRecord_).push(block);
        }
        if ((sending_ & bit) != 0) {
            (pre ? *preSend_ : *postSend_).push(block);
        }
        if ((listening_ & bit) != 0) {
            (pre ? *preListen_ : *postListen_).push(block);
        }
        if (!pre && microphone_) {
            postMicrophone_->push(block);
        }
    }

    // For the analysis thread.
    SampleRing& analysis(Tap tap) noexcept {
        return tap == Tap::Pre ? *preAnalysis_ : *postAnalysis_;
    }
    // For the recorder's disk thread; fed only while enabled.
    SampleRing& record(Tap tap) noexcept { return tap == Tap::Pre ? *preRecord_ : *postRecord_; }
    void setRecordEnabled(Tap tap, bool enabled) noexcept;
    // Both at the same instant (see beginBlock).
    void setRecordEnabled(bool pre, bool post) noexcept {
        recordTaps_.store(tapBits(pre, post), std::memory_order_release);
    }

    // For the network thread; fed only while enabled (the same block-boundary rule).
    SampleRing& send(Tap tap) noexcept { return tap == Tap::Pre ? *preSend_ : *postSend_; }
    void setSendEnabled(bool pre, bool post) noexcept {
        sendTaps_.store(tapBits(pre, post), std::memory_order_release);
    }

    // For the web server's thread (browsers listening); fed only while enabled.
    SampleRing& listen(Tap tap) noexcept { return tap == Tap::Pre ? *preListen_ : *postListen_; }
    void setListenEnabled(bool pre, bool post) noexcept {
        listenTaps_.store(tapBits(pre, post), std::memory_order_release);
    }

    // For the virtual microphone's PipeWire thread: the signal after the chain (the output's),
    // fed only while enabled.
    SampleRing& microphone() noexcept { return *postMicrophone_; }
    void setMicrophoneEnabled(bool enabled) noexcept {
        microphoneTap_.store(enabled, std::memory_order_release);
    }

    uint64_t droppedAnalysisFrames() const noexcept;
    // Blocks the audio thread has begun since the stream was prepared: a reader that switched a
    // tap off waits for two more to know no block is still being pushed.
    uint64_t blocksBegun() const noexcept { return blocks_.load(std::memory_order_acquire); }

private:
    // One bit per tap, in the record and the send masks alike.
    static constexpr uint8_t kPreBit = 1;
    static constexpr uint8_t kPostBit = 2;
    static constexpr uint8_t tapBits(bool pre, bool post) noexcept {
        return static_cast<uint8_t>((pre ? kPreBit : 0) | (post ? kPostBit : 0));
    }

    double sampleRate_ = 0.0;
    uint32_t channels_ = 0;
    std::unique_ptr<SampleRing> preAnalysis_;
    std::unique_ptr<SampleRing> postAnalysis_;
    std::unique_ptr<SampleRing> preRecord_;
    std::unique_ptr<SampleRing> postRecord_;
    std::unique_ptr<SampleRing> preSend_;
    std::unique_ptr<SampleRing> postSend_;
    std::unique_ptr<SampleRing> preListen_;
    std::unique_ptr<SampleRing> postListen_;
    std::unique_ptr<SampleRing> postMicrophone_;
    std::atomic<uint8_t> recordTaps_{0};
    std::atomic<uint8_t> sendTaps_{0};
    std::atomic<uint8_t> listenTaps_{0};
    std::atomic<bool> microphoneTap_{false};
    uint8_t recording_ = 0;    // audio thread only
    uint8_t sending_ = 0;      // audio thread only
    uint8_t listening_ = 0;    // audio thread only
    bool microphone_ = false;  // audio thread only
    std::atomic<uint64_t> blocks_{0};
};

}  // namespace liverack::core
