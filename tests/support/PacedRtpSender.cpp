#include "tests/support/PacedRtpSender.h"

#include <chrono>
#include <cmath>
#include <vector>

namespace liverack::test {

PacedRtpSender::PacedRtpSender(const core::RtpSendTarget& target, double ppm, double hz,
                               float amplitude, double seconds, Clock clock)
    : ppm_(ppm), hz_(hz), amplitude_(amplitude), seconds_(seconds), clock_(std::move(clock)) {
    auto sender = core::RtpSender::open(target, 48000.0, 2);
    if (!sender) {
        error_ = sender.error();
        return;
    }
    sender_ = std::move(sender.value());
}

double PacedRtpSender::steadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

PacedRtpSender::~PacedRtpSender() {
    stop();
}

void PacedRtpSender::start() {
    if (sender_ && !thread_.joinable()) {
        thread_ = std::thread([this] { run(); });
    }
}

void PacedRtpSender::stop() {
    quit_.store(true);
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool PacedRtpSender::waitUntilSent(uint64_t packets, double timeoutSeconds) {
    const auto end =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutSeconds);
    while (stats().packets < packets && std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a condition
    }
    return stats().packets >= packets;
}

void PacedRtpSender::run() {
    constexpr size_t kChunk = 240;  // 5 ms at 48 kHz: whole packets go out as they fill
    std::vector<float> left(kChunk);
    std::vector<float> right(kChunk);
    const float* channels[2] = {left.data(), right.data()};
    const double rate = 48000.0;
    const double chunkSeconds = kChunk / rate / (1.0 + ppm_ * 1e-6);  // of the reference clock
    const auto total = static_cast<size_t>(seconds_ * rate / kChunk);
    const double begin = clock_();
    size_t sample = 0;
    for (size_t chunk = 0; chunk < total && !quit_.load(); ++chunk) {
        for (size_t i = 0; i < kChunk; ++i, ++sample) {
            const double phase = std::fmod(hz_ * static_cast<double>(sample) / rate, 1.0);
            left[i] = right[i] = amplitude_ * static_cast<float>(std::sin(2.0 * M_PI * phase));
        }
        sender_->send(channels, kChunk);
        // Chunk k + 1 is due (k + 1) chunks after the start on the reference clock. Falling
        // behind (a busy machine) sends the late ones at once, as a real sender's driver would.
        const double due = begin + static_cast<double>(chunk + 1) * chunkSeconds;
        while (clock_() < due && !quit_.load()) {
            std::this_thread::sleep_for(std::chrono::microseconds(500));  // pacing by the clock
        }
    }
}

}  // namespace liverack::test
