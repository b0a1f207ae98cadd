// LiveRack's audio engine: opens a stream on JACK (natively), on an RtAudio API, or on the null
// device (which paces itself with a timer when there is no sound card) and runs the
// EngineProcessor in its callback. Every failure comes back as a sentence for a person; no
// exception leaves this class.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/AudioBackend.h"
#include "core/engine/DeviceInfo.h"
#include "core/engine/EngineProcessor.h"
#include "core/engine/StreamConfig.h"
#include "core/util/Result.h"

namespace liverack::core {

// What was actually opened (RtAudio may adjust the block size; JACK imposes its rate and period,
// and may change the period while streaming: poll() keeps blockFrames and the latency current).
struct StreamInfo {
    std::string api;
    std::string apiDisplayName;
    std::string inputDevice;   // empty when there is no input
    std::string outputDevice;  // empty when there is no output
    std::string source;        // "device input" or the source's description
    unsigned sampleRate = 0;
    unsigned blockFrames = 0;
    unsigned channels = 0;
    unsigned inputChannels = 0;
    unsigned outputChannels = 0;
    // The reference input (JACK only, when asked for): 0 means the effects get no reference, as
    // on every other API. `reference` lists the ports it was connected to ("" = unconnected).
    unsigned referenceChannels = 0;
    std::string reference;
    // Input to output outside the chain: on JACK the capture latency of what feeds LiveRack plus
    // the playback latency of what it feeds, from the server's latency ranges; elsewhere what the
    // API reports for its buffering plus one block.
    unsigned deviceLatencyFrames = 0;
    // The round trip without the chain; add EngineProcessor::chainLatencyFrames() for the whole.
    unsigned latencyFrames() const noexcept { return deviceLatencyFrames; }
};

class AudioEngine {
public:
    AudioEngine();
    ~AudioEngine();
    AudioEngine(const AudioEngine&) = delete;
    AudioEngine& operator=(const AudioEngine&) = delete;

    // API ids compiled in, in order of preference, plus "null".
    static std::vector<std::string> availableApis();
    static ApiInfo listDevices(const std::string& api);
    static std::vector<ApiInfo> listAllDevices();
    // Before opening: the stream `config` would get where the system can tell without opening
    // one (JACK: its rate, its period and the round trip from its latency ranges); empty
    // elsewhere, and when the stream could not open.
    struct ExpectedStream {
        std::string apiDisplayName;
        unsigned sampleRate = 0;
        unsigned blockFrames = 0;
        unsigned deviceLatencyFrames = 0;  // outside the chain, as StreamInfo::latencyFrames()
    };
    static std::optional<ExpectedStream> expectedStream(const StreamConfig& config);

    Status open(const StreamConfig& config);
    // The output fades in from silence over `fadeInSeconds` (see SafetyStage::fadeIn).
    Status start(double fadeInSeconds = SafetyStage::kFadeInSeconds);
    void stop();  // fades out first
    void close();
    bool isOpen() const noexcept;
    bool isRunning() const noexcept;

    // Control-thread housekeeping, ~10 Hz: frees retired chains, notices a lost stream.
    void poll();
    // True when a stream could not be stopped within a second and was left to the system: the
    // process should exit (the objects the system may still call into are kept alive).
    bool abandoned() const noexcept { return abandoned_; }
    // True once the stream died under us (server gone, device unplugged); the reason says why.
    bool streamLost() const noexcept { return streamLost_.load(); }
    std::string streamLostReason() const;

    const StreamInfo& streamInfo() const noexcept { return info_; }
    EngineProcessor& processor() noexcept { return *processor_; }
    Status setChain(std::unique_ptr<EffectChain> chain) {
        return processor_->setChain(std::move(chain));
    }
    EngineStatsSnapshot stats() const noexcept;

private:
    void abandonBackend();

    std::unique_ptr<EngineProcessor> processor_;
    std::unique_ptr<AudioBackend> backend_;
    bool abandoned_ = false;
    StreamInfo info_;
    std::atomic<bool> streamLost_{false};
    mutable std::mutex lostMutex_;
    std::string lostReason_;
    uint64_t lastCallbacks_ = 0;
    std::chrono::steady_clock::time_point lastProgress_{};
};

}  // namespace liverack::core
