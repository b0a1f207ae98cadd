// Sends the engine's audio as RTP streams (--send): one RtpSender per destination, fed by a
// network thread that drains the send rings of SampleTaps. The audio thread only pushes into those
// rings; the pace is its clock's, since the thread sends what has arrived, every few milliseconds.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/dsp/AudioBuffer.h"
#include "core/engine/SampleTaps.h"
#include "core/net/RtpSender.h"
#include "core/util/Result.h"

namespace liverack::core {

struct RtpStreamStats {
    std::string destination;  // host:port
    RtpCodec codec = RtpCodec::Opus;
    Tap tap = Tap::Post;
    RtpSenderStats sender;
    uint64_t droppedFrames = 0;  // the tap's ring overflowed: the network thread fell behind
};

class RtpStreamer {
public:
    // How often the network thread looks at the rings: a fraction of the shortest packet (2.5 ms).
    static constexpr int kPollMicroseconds = 1000;
    static constexpr uint32_t kChunkFrames = 1024;

    explicit RtpStreamer(SampleTaps& taps);
    ~RtpStreamer();  // stops
    RtpStreamer(const RtpStreamer&) = delete;
    RtpStreamer& operator=(const RtpStreamer&) = delete;

    // Control thread, with the processor prepared: opens every sender (nothing is sent when one
    // fails: the sentence names it), switches the taps on and starts the network thread.
    Status start(const std::vector<RtpSendTarget>& targets);
    // Switches the taps off and joins the network thread. Safe at any time.
    void stop();
    bool isRunning() const noexcept { return thread_.joinable(); }

    // The SDP files --send-sdp PATH writes for `count` streams: PATH itself for one; for more,
    // "s.sdp" becomes "s.1.sdp", "s.2.sdp"... in the order of the streams.
    static std::vector<std::string> sdpPathsFor(const std::string& path, size_t count);

    size_t streamCount() const noexcept { return senders_.size(); }
    const RtpSender& sender(size_t index) const { return *senders_.at(index); }
    std::vector<RtpStreamStats> stats() const;

private:
    void networkLoop();

    SampleTaps& taps_;
    std::vector<std::unique_ptr<RtpSender>> senders_;
    AudioBuffer buffer_;
    std::vector<const float*> pointers_;
    uint64_t droppedAtStart_[2] = {0, 0};  // pre, post
    std::atomic<bool> quit_{false};
    std::thread thread_;
};

}  // namespace liverack::core
