// No sound card, no server: a thread that calls the processor at the pace of real time, so the
// meters, spectrum and tuner still run on the built-in test signal.
#pragma once

#include <atomic>
#include <thread>

#include "core/dsp/AudioBuffer.h"
#include "core/engine/AudioBackend.h"
#include "core/engine/DeviceInfo.h"

namespace liverack::core {

class EngineProcessor;

class NullBackend final : public AudioBackend {
public:
    static ApiInfo listDevices();

    NullBackend(EngineProcessor& processor, unsigned sampleRate, unsigned blockFrames,
                unsigned channels);
    ~NullBackend() override;
    NullBackend(const NullBackend&) = delete;
    NullBackend& operator=(const NullBackend&) = delete;

    std::string start() override;
    void stop() override;
    bool isRunning() const override { return running_.load(); }
    bool isAlive() const override { return true; }
    unsigned blockFrames() const override { return blockFrames_; }
    unsigned deviceLatencyFrames() const override { return blockFrames_; }

private:
    void run();

    EngineProcessor& processor_;
    unsigned sampleRate_;
    unsigned blockFrames_;
    AudioBuffer output_;
    std::atomic<bool> running_{false};
    std::thread thread_;
};

}  // namespace liverack::core
