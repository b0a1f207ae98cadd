#include "core/net/RtpStreamer.h"

#include <algorithm>
#include <chrono>

namespace liverack::core {

RtpStreamer::RtpStreamer(SampleTaps& taps) : taps_(taps) {}

RtpStreamer::~RtpStreamer() {
    stop();
}

Status RtpStreamer::start(const std::vector<RtpSendTarget>& targets) {
    stop();
    senders_.clear();
    if (taps_.sampleRate() <= 0.0) {
        return Error{"cannot send RTP before the audio stream is open"};
    }
    for (const RtpSendTarget& target : targets) {
        auto sender = RtpSender::open(target, taps_.sampleRate(), taps_.channels());
        if (!sender) {
            senders_.clear();
            return Error{sender.error()};
        }
        senders_.push_back(std::move(sender.value()));
    }
    if (senders_.empty()) {
        return {};
    }
    buffer_.resize(taps_.channels(), kChunkFrames);
    pointers_.resize(taps_.channels());
    bool pre = false;
    bool post = false;
    for (const auto& sender : senders_) {
        (sender->target().tap == Tap::Pre ? pre : post) = true;
    }
    // What a previous run left in the rings is old audio: it must not start the new streams.
    for (Tap tap : {Tap::Pre, Tap::Post}) {
        taps_.send(tap).discard();
        droppedAtStart_[tap == Tap::Pre ? 0 : 1] = taps_.send(tap).droppedFrames();
    }
    quit_.store(false);
    taps_.setSendEnabled(pre, post);
    thread_ = std::thread([this] { networkLoop(); });
    return {};
}

void RtpStreamer::stop() {
    taps_.setSendEnabled(false, false);
    if (thread_.joinable()) {
        quit_.store(true);
        thread_.join();
    }
}

void RtpStreamer::networkLoop() {
    bool wanted[2] = {false, false};
    for (const auto& sender : senders_) {
        wanted[sender->target().tap == Tap::Pre ? 0 : 1] = true;
    }
    while (!quit_.load(std::memory_order_acquire)) {
        for (Tap tap : {Tap::Pre, Tap::Post}) {
            if (!wanted[tap == Tap::Pre ? 0 : 1]) {
                continue;
            }
            SampleRing& ring = taps_.send(tap);
            while (ring.availableFrames() > 0) {
                const AudioBlock chunk = buffer_.block();
                const size_t frames = ring.pop(chunk.channels(), kChunkFrames);
                if (frames == 0) {
                    break;
                }
                std::copy_n(chunk.channels(), pointers_.size(), pointers_.begin());
                for (const auto& sender : senders_) {
                    if (sender->target().tap == tap) {
                        sender->send(pointers_.data(), frames);
                    }
                }
            }
        }
        // The rings hold a second: a millisecond's nap cannot lose audio, only delay it that much.
        std::this_thread::sleep_for(std::chrono::microseconds(kPollMicroseconds));
    }
}

std::vector<std::string> RtpStreamer::sdpPathsFor(const std::string& path, size_t count) {
    if (count <= 1) {
        return {path};
    }
    const size_t slash = path.find_last_of('/');
    const size_t dot = path.find_last_of('.');
    const bool hasExtension =
        dot != std::string::npos && (slash == std::string::npos || dot > slash);
    const std::string stem = hasExtension ? path.substr(0, dot) : path;
    const std::string extension = hasExtension ? path.substr(dot) : ".sdp";
    std::vector<std::string> paths;
    for (size_t i = 1; i <= count; ++i) {
        paths.push_back(stem + "." + std::to_string(i) + extension);
    }
    return paths;
}

std::vector<RtpStreamStats> RtpStreamer::stats() const {
    std::vector<RtpStreamStats> out;
    for (const auto& sender : senders_) {
        const RtpSendTarget& target = sender->target();
        RtpStreamStats s;
        s.destination = target.host + ":" + std::to_string(target.port);
        s.codec = target.codec;
        s.tap = target.tap;
        s.sender = sender->stats();
        const int index = target.tap == Tap::Pre ? 0 : 1;
        s.droppedFrames = taps_.send(target.tap).droppedFrames() - droppedAtStart_[index];
        out.push_back(s);
    }
    return out;
}

}  // namespace liverack::core
