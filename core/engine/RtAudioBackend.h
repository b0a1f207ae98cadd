// The engine on an RtAudio stream: ALSA and the APIs of other systems. JACK and PulseAudio have
// native backends (JackBackend: RtAudio's JACK path adds a period of latency; PulseBackend:
// RtAudio's PulseAudio path hides the latency and offers only the default device).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/AudioBackend.h"
#include "core/engine/DeviceInfo.h"
#include "core/engine/RtAudioCompat.h"
#include "core/util/Result.h"

namespace liverack::core {

class EngineProcessor;

class RtAudioBackend final : public AudioBackend {
public:
    struct Request {
        std::string api;  // RtAudio's API name: "alsa", "pulse", ...
        std::string apiDisplayName;
        std::string clientName = "liverack";
        unsigned sampleRate = 48000;
        unsigned blockFrames = 256;
        std::optional<DeviceInfo> input;  // with inputChannels to open
        std::optional<DeviceInfo> output;
        unsigned inputChannels = 0;
        unsigned outputChannels = 0;
    };

    // RtAudio's API names compiled in, except its dummy API, JACK and PulseAudio.
    static std::vector<std::string> apis();
    static ApiInfo listDevices(const std::string& api);

    // Opens the stream; RtAudio may adjust the block size (see blockFrames()).
    static Result<std::unique_ptr<RtAudioBackend>> open(const Request& request,
                                                        EngineProcessor& processor);
    ~RtAudioBackend() override;
    RtAudioBackend(const RtAudioBackend&) = delete;
    RtAudioBackend& operator=(const RtAudioBackend&) = delete;

    std::string start() override;
    void stop() override;
    bool isRunning() const override;
    bool isAlive() const override;
    bool abandoned() const override { return abandoned_; }
    unsigned blockFrames() const override { return blockFrames_; }
    // What RtAudio reports for the device's buffering plus the block being processed.
    unsigned deviceLatencyFrames() const override { return streamLatency_ + blockFrames_; }

private:
    RtAudioBackend(std::unique_ptr<RtAudio> audio, EngineProcessor& processor,
                   unsigned inputChannels, unsigned outputChannels);

    // The RtAudio callback: a static trampoline into the processor (RtAudio tests/duplex.cpp).
    static int callback(void* output, void* input, unsigned int frames, double streamTime,
                        RtAudioStreamStatus status, void* user);
    int process(float* output, const float* input, unsigned frames, bool xrun) noexcept;

    std::unique_ptr<RtAudio> audio_;
    EngineProcessor& processor_;
    unsigned inputChannels_;
    unsigned outputChannels_;
    std::vector<const float*> inputPointers_;
    std::vector<float*> outputPointers_;
    unsigned blockFrames_ = 0;
    unsigned streamLatency_ = 0;
    bool abandoned_ = false;
};

}  // namespace liverack::core
