#include "core/engine/NullBackend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "core/engine/EngineProcessor.h"

namespace liverack::core {

ApiInfo NullBackend::listDevices() {
    ApiInfo info;
    info.id = "null";
    info.displayName = "Null (no device)";
    DeviceInfo device;
    device.name = "Null output";
    device.outputChannels = 8;
    device.sampleRates = {44100, 48000, 88200, 96000, 176400, 192000};
    device.preferredSampleRate = 48000;
    device.isDefaultOutput = true;
    info.devices.push_back(device);
    return info;
}

NullBackend::NullBackend(EngineProcessor& processor, unsigned sampleRate, unsigned blockFrames,
                         unsigned channels)
    : processor_(processor),
      sampleRate_(sampleRate),
      blockFrames_(blockFrames),
      output_(channels, blockFrames) {}

NullBackend::~NullBackend() {
    stop();
}

std::string NullBackend::start() {
    if (running_.exchange(true)) {
        return {};
    }
    thread_ = std::thread([this] { run(); });
    return {};
}

void NullBackend::stop() {
    if (running_.exchange(false) && thread_.joinable()) {
        thread_.join();
    }
}

void NullBackend::run() {
    using Clock = std::chrono::steady_clock;
    const auto period = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(double(blockFrames_) / sampleRate_));
    std::vector<float*> pointers(output_.channelCount());
    for (uint32_t c = 0; c < output_.channelCount(); ++c) {
        pointers[c] = output_.channel(c);
    }
    // Nothing listens at the other end, so the blocks due are run together about every 10 ms
    // rather than one per wake-up: a wake-up costs more than a block of the test signal (at 256
    // frames, 187 wake-ups a second were half of this thread's time). The pace stays real time.
    const unsigned blocksPerWake =
        std::max(1u, static_cast<unsigned>(std::lround(0.01 * sampleRate_ / blockFrames_)));
    auto next = Clock::now();
    while (running_.load()) {
        for (unsigned i = 0; i < blocksPerWake && running_.load(); ++i) {
            processor_.process(nullptr, 0, pointers.data(), output_.channelCount(), blockFrames_,
                               false);
        }
        next += blocksPerWake * period;
        if (Clock::now() > next + 10 * period) {
            next = Clock::now();  // the machine stalled: resynchronise instead of racing
        }
        std::this_thread::sleep_until(next);
    }
}

}  // namespace liverack::core
