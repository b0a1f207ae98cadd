// An RTP sender for tests with a clock of its own: a thread that sends a sine through
// core::RtpSender, paced by a reference clock (the steady clock, or a receiver's audio device:
// the JACK server's frame time) scaled by (1 + ppm·10⁻⁶), as a sender whose crystal runs that much
// fast (or slow) against it would. The audio is exactly the sine at the nominal rate: only the
// pace differs, which is what a receiver must compensate.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/net/RtpSender.h"

namespace liverack::test {

class PacedRtpSender {
public:
    // Seconds on the reference clock; only differences count.
    using Clock = std::function<double()>;
    static double steadySeconds();

    // Sends to `target` at 48 kHz, two channels, `hz` at `amplitude`, for `seconds` (of the
    // sender's own clock) after start(). Check error().
    PacedRtpSender(const core::RtpSendTarget& target, double ppm, double hz, float amplitude,
                   double seconds, Clock clock = steadySeconds);
    ~PacedRtpSender();  // stops
    const std::string& error() const { return error_; }
    void start();
    void stop();
    // Waits (bounded) until `packets` have gone; true when they have.
    bool waitUntilSent(uint64_t packets, double timeoutSeconds);
    core::RtpSenderStats stats() const {
        return sender_ ? sender_->stats() : core::RtpSenderStats{};
    }

private:
    void run();

    std::unique_ptr<core::RtpSender> sender_;
    std::string error_;
    double ppm_;
    double hz_;
    float amplitude_;
    double seconds_;
    Clock clock_;
    std::atomic<bool> quit_{false};
    std::thread thread_;
};

}  // namespace liverack::test
